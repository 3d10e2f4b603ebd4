use std::fs;
use std::path::Path;

use super::graph::Graph;
use super::rules::{Break, Findings, House, Pending, inspect};
use super::tree::Tree;
use super::{FLOORS, PENDING};

fn findings(root: &Path, house: &House<'_>) -> Findings {
    let tree = Tree::read(root).unwrap_or_else(|e| panic!("reading {}: {e}", root.display()));
    inspect(&tree, &Graph::build(&tree), house)
}

/// This crate: imports run down `FLOORS`, no folder has a circle, every module has a floor.
#[test]
fn the_crate_imports_only_downwards_and_has_no_circles() {
    let house = House {
        floors: FLOORS,
        pending: PENDING,
    };
    let found = findings(Path::new(env!("CARGO_MANIFEST_DIR")), &house);
    // Shown on every run (`cargo test floors -- --nocapture`), set aside or not.
    println!("{found}");
    assert!(found.is_sound(), "\n{found}");
}

/// A small crate written out to check the check.
struct Crate(tempfile::TempDir);

impl Crate {
    fn new(files: &[(&str, &str)]) -> Crate {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
            fs::write(path, text).expect("file");
        }
        Crate(dir)
    }

    fn check(&self, floors: &[&[&str]], pending: &[Pending]) -> Findings {
        findings(self.0.path(), &House { floors, pending })
    }
}

const TWO_FLOORS: &[&[&str]] = &[&["top"], &["base"]];

#[test]
fn an_import_up_or_sideways_is_named_with_its_file_and_line() {
    let krate = Crate::new(&[
        ("src/lib.rs", "mod top;\nmod base;\nmod side;\n"),
        ("src/top.rs", "use crate::base::Thing;\n"),
        (
            "src/base.rs",
            "pub struct Thing;\n\nfn f() { crate::top::g(); }\n",
        ),
        ("src/side.rs", "use crate::base::Thing;\n"),
    ]);
    let found = krate.check(&[&["top"], &["base", "side"]], &[]);
    assert!(!found.is_sound());
    let [up, sideways] = found.wrong_way.as_slice() else {
        panic!("two wrong-way arrows expected:\n{found}");
    };
    assert!(
        up.starts_with("base (floor 2) imports top (floor 1, above it)"),
        "{up}"
    );
    assert!(up.contains("src/base.rs:3: base → top"), "{up}");
    assert!(
        sideways.contains("on its own floor") && sideways.contains("src/side.rs:1"),
        "{sideways}"
    );
    // Floors that allow side → base leave base → top, which no order allows with top → base:
    // that is a circle too.
    let reordered = krate.check(&[&["side"], &["top"], &["base"]], &[]);
    assert_eq!(reordered.wrong_way.len(), 1, "{reordered}");
    assert_eq!(reordered.circles.len(), 1, "{reordered}");
    assert!(
        reordered.circles[0].starts_with("in crate: top, base"),
        "{reordered}"
    );
}

#[test]
fn circles_are_found_inside_folders_through_super_and_re_exports() {
    let krate = Crate::new(&[
        ("src/lib.rs", "pub mod top;\npub mod base;\n"),
        ("src/top.rs", ""),
        (
            "src/base/mod.rs",
            "mod file;\nmod keys;\npub use keys::KeyList;\n// use crate::top; (a comment)\n",
        ),
        // `super::KeyList` is keys' type, re-exported by the folder: file → keys.
        (
            "src/base/file.rs",
            "use super::KeyList;\nfn f() { let _ = \"crate::top\"; }\n",
        ),
        (
            "src/base/keys.rs",
            "pub struct KeyList;\nfn g() { super::file::h(); }\n",
        ),
    ]);
    let found = krate.check(TWO_FLOORS, &[]);
    let [circle] = found.circles.as_slice() else {
        panic!("one circle expected:\n{found}");
    };
    assert!(circle.starts_with("in base: file, keys"), "{circle}");
    assert!(
        circle.contains("src/base/file.rs:1: base::file → base::keys"),
        "{circle}"
    );
    assert!(
        circle.contains("src/base/keys.rs:2: base::keys → base::file"),
        "{circle}"
    );
    assert!(
        found.wrong_way.is_empty(),
        "comments and strings are not imports:\n{found}"
    );
}

#[test]
fn path_attributes_inline_modules_and_climbing_out_of_a_folder_are_followed() {
    let krate = Crate::new(&[
        ("src/lib.rs", "mod top;\nmod base;\n"),
        ("src/top.rs", ""),
        ("src/base/mod.rs", "#[path = \"odd_name.rs\"]\nmod inner;\n"),
        (
            "src/base/odd_name.rs",
            "#[cfg(test)]\nmod tests {\n    use super::super::super::top::X;\n}\n",
        ),
    ]);
    let found = krate.check(TWO_FLOORS, &[]);
    let [up] = found.wrong_way.as_slice() else {
        panic!("one wrong-way arrow expected:\n{found}");
    };
    assert!(
        up.contains("src/base/odd_name.rs:3: base::inner::tests → top"),
        "{up}"
    );
}

#[test]
fn a_missing_module_file_is_an_error_not_a_silent_pass() {
    let krate = Crate::new(&[("src/lib.rs", "mod gone;\n")]);
    let error = Tree::read(krate.0.path()).expect_err("gone.rs is missing");
    assert!(error.contains("gone"), "{error}");
}

#[test]
fn modules_off_the_floors_and_floors_without_modules_are_named() {
    let krate = Crate::new(&[
        ("src/lib.rs", "mod top;\nmod base;\nmod new;\n"),
        ("src/top.rs", ""),
        ("src/base.rs", ""),
        ("src/new.rs", ""),
    ]);
    let found = krate.check(&[&["top", "old"], &["base"]], &[]);
    assert_eq!(found.unplaced.len(), 2, "{found}");
    assert!(
        found
            .unplaced
            .iter()
            .any(|l| l.starts_with("new is on no floor")),
        "{found}"
    );
    assert!(
        found
            .unplaced
            .iter()
            .any(|l| l.starts_with("old is on floor 1 but is no module")),
        "{found}"
    );
}

#[test]
fn pending_breaks_are_shown_while_there_and_fail_the_check_once_gone() {
    let krate = Crate::new(&[
        ("src/lib.rs", "mod top;\nmod base;\n"),
        ("src/top.rs", ""),
        ("src/base/mod.rs", "mod a;\nmod b;\nuse crate::top::T;\n"),
        ("src/base/a.rs", "use super::b::B;\n"),
        ("src/base/b.rs", "use super::a::A;\n"),
    ]);
    let pending = [
        Pending {
            what: Break::Arrow("base", "top"),
            owner: "the move of T",
        },
        Pending {
            what: Break::CirclesIn("base"),
            owner: "the split of a and b",
        },
    ];
    let found = krate.check(TWO_FLOORS, &pending);
    assert!(found.is_sound(), "{found}");
    assert_eq!(found.set_aside.len(), 2, "{found}");
    assert!(found.to_string().contains("(the move of T)"), "{found}");

    let fixed = Crate::new(&[
        ("src/lib.rs", "mod top;\nmod base;\n"),
        ("src/top.rs", ""),
        ("src/base.rs", ""),
    ]);
    let found = fixed.check(TWO_FLOORS, &pending);
    assert!(!found.is_sound());
    assert_eq!(found.stale.len(), 2, "{found}");
    assert!(found.stale[0].contains("the arrow base → top"), "{found}");
}
