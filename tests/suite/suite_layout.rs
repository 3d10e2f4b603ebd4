//! The suite stays one crate: a test file outside it would be linked as a test binary of its own
//! (what made the test build too big for a small machine), and a file inside it without its
//! `mod` line in `main.rs` would never be compiled, so its tests would silently never run.

use std::collections::BTreeSet;
use std::path::Path;

fn tests_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests"))
}

/// The names `main.rs` declares with `mod name;`.
fn declared_modules() -> BTreeSet<String> {
    let main = std::fs::read_to_string(tests_dir().join("suite/main.rs")).expect("main.rs");
    main.lines()
        .filter_map(|line| line.trim().strip_prefix("mod ")?.strip_suffix(';'))
        .map(str::to_owned)
        .collect()
}

/// The modules the folder holds: `name.rs` files and `name/mod.rs` folders.
fn modules_on_disk() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(tests_dir().join("suite")).expect("tests/suite") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let is_module = if path.is_dir() {
            path.join("mod.rs").is_file()
        } else {
            path.extension().is_some_and(|e| e == "rs") && name != "main"
        };
        if is_module {
            found.insert(name);
        }
    }
    found
}

#[test]
fn every_file_in_the_suite_is_one_of_its_modules() {
    let declared = declared_modules();
    let on_disk = modules_on_disk();
    let undeclared: Vec<_> = on_disk.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "tests/suite holds {undeclared:?} but main.rs does not declare them: add `mod <name>;` \
         to tests/suite/main.rs, or their tests never run"
    );
    let missing: Vec<_> = declared.difference(&on_disk).collect();
    assert!(
        missing.is_empty(),
        "main.rs declares {missing:?}, not in tests/suite"
    );
}

#[test]
fn no_test_target_is_left_outside_the_suite() {
    let mut outside = Vec::new();
    for entry in std::fs::read_dir(tests_dir()).expect("tests/") {
        let path = entry.expect("entry").path();
        let own_target = if path.is_dir() {
            path.join("main.rs").is_file() && !path.ends_with("suite")
        } else {
            path.extension().is_some_and(|e| e == "rs")
        };
        if own_target {
            outside.push(path);
        }
    }
    assert!(
        outside.is_empty(),
        "{outside:?} would each be a test binary of their own (another link of every \
         dependency): move them into tests/suite/ and add a `mod` line to tests/suite/main.rs"
    );
}
