//! Links at each level, loose folders, atomic writes that fail, sweeps.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use super::*;

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
}

/// The names in a flat folder with their bytes: equal before and after means nothing in it
/// was written, added or replaced.
fn snapshot(dir: &Path) -> Vec<(std::ffi::OsString, Vec<u8>)> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_owned(),
                fs::read(&path).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// A root and, beside it, an `outside` folder holding one file.
fn setup() -> (tempfile::TempDir, PrivateDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("a.jpg"), b"theirs").unwrap();
    let root = PrivateDir::create_root(&tmp.path().join("root")).unwrap();
    (tmp, root, outside)
}

#[test]
fn writes_are_whole_private_and_leave_no_temp_file() {
    let (tmp, root, _) = setup();
    root.write_atomic("p/images/a.jpg", b"one").unwrap();
    root.write_atomic("p/images/a.jpg", b"two").unwrap();
    let path = tmp.path().join("root/p/images/a.jpg");
    assert_eq!(fs::read(&path).unwrap(), b"two");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&tmp.path().join("root/p")), 0o700);
    assert_eq!(mode(&tmp.path().join("root/p/images")), 0o700);
    assert_eq!(root.sweep_temp_files(3).unwrap(), 0);
}

#[test]
fn a_link_in_place_of_a_folder_is_refused_at_each_level() {
    for level in ["p", "p/images"] {
        let (tmp, root, outside) = setup();
        root.make_dir("p").unwrap();
        let planted = tmp.path().join("root").join(level);
        let _ = fs::remove_dir(&planted);
        symlink(&outside, &planted).unwrap();
        let before = snapshot(&outside);
        let err = root.write_atomic("p/images/a.jpg", b"ours").unwrap_err();
        assert!(matches!(err, FsError::Link { .. }), "{level}: {err:?}");
        assert_eq!(err.path(), planted, "{level}");
        assert!(
            err.to_string().contains("is a symbolic link"),
            "{level}: {err}"
        );
        for refused in [
            root.make_dir("p/images").map(drop),
            root.create_new("p/images/b.jpg").map(drop),
            root.open_append("p/images/j").map(drop),
            root.read("p/images/a.jpg").map(drop),
            root.check_dir("p/images/x"),
        ] {
            assert!(
                matches!(refused, Err(FsError::Link { .. })),
                "{level}: {refused:?}"
            );
        }
        assert_eq!(root.sweep_temp_files(3).unwrap(), 0);
        assert_eq!(
            snapshot(&outside),
            before,
            "{level}: nothing outside changed"
        );
    }
}

#[test]
fn a_link_in_place_of_a_file_is_never_written_through() {
    let (tmp, root, outside) = setup();
    let before = snapshot(&outside);
    let planted = tmp.path().join("root/j");
    symlink(outside.join("a.jpg"), &planted).unwrap();
    for refused in [root.open_append("j"), root.open_rw("j")] {
        let err = refused.unwrap_err();
        assert!(matches!(err, FsError::Link { .. }), "{err:?}");
        assert_eq!(err.path(), planted);
    }
    assert!(matches!(root.read("j"), Err(FsError::Link { .. })));
    let taken = root.create_new("j").unwrap_err();
    assert_eq!(taken.kind(), std::io::ErrorKind::AlreadyExists);
    // A rename replaces the link itself.
    root.write_atomic("j", b"ours").unwrap();
    assert!(fs::symlink_metadata(&planted).unwrap().is_file());
    // A removal removes the link, not its target.
    symlink(outside.join("a.jpg"), tmp.path().join("root/k")).unwrap();
    root.remove_file("k").unwrap();
    assert_eq!(snapshot(&outside), before);
}

#[test]
fn a_hard_link_or_a_fifo_is_not_a_file_of_ours() {
    let (tmp, root, outside) = setup();
    fs::hard_link(outside.join("a.jpg"), tmp.path().join("root/j")).unwrap();
    let err = root.open_append("j").unwrap_err();
    assert!(matches!(err, FsError::NotAPlainFile { .. }), "{err:?}");
    assert!(err.to_string().contains("other hard links"), "{err}");
    let fifo = tmp.path().join("root/f");
    // Made with the system call, not a `mkfifo` program that might be missing: a part of a test
    // that can silently not run is a test that cannot fail.
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    let err = root.open_append("f").unwrap_err();
    assert!(matches!(err, FsError::NotAPlainFile { .. }), "{err:?}");
    assert_eq!(fs::read(outside.join("a.jpg")).unwrap(), b"theirs");
}

#[test]
fn a_loose_folder_is_made_private_before_it_is_written_into() {
    let (tmp, root, _) = setup();
    let planted = tmp.path().join("root/p");
    fs::create_dir(&planted).unwrap();
    fs::set_permissions(&planted, fs::Permissions::from_mode(0o777)).unwrap();
    let loose_file = planted.join("j");
    fs::write(&loose_file, b"").unwrap();
    fs::set_permissions(&loose_file, fs::Permissions::from_mode(0o644)).unwrap();
    root.open_append("p/j").unwrap();
    assert_eq!(mode(&planted), 0o700);
    assert_eq!(mode(&loose_file), 0o600);
    // Checking before a run makes existing folders private and creates none.
    fs::set_permissions(&planted, fs::Permissions::from_mode(0o750)).unwrap();
    root.check_dir("p/images/x").unwrap();
    assert_eq!(mode(&planted), 0o700);
    assert!(!planted.join("images").exists());
    // Reading changes nothing.
    fs::set_permissions(&planted, fs::Permissions::from_mode(0o755)).unwrap();
    root.read("p/j").unwrap();
    assert_eq!(mode(&planted), 0o755);
}

#[test]
fn paths_must_stay_below_the_root() {
    let (_tmp, root, _) = setup();
    for rel in ["../x", "/etc/passwd", "", "a/../../x", "./a"] {
        let err = root.write_atomic(rel, b"x").unwrap_err();
        assert!(matches!(err, FsError::Outside { .. }), "{rel:?}: {err:?}");
    }
}

#[test]
fn the_root_may_be_a_link_but_not_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    fs::create_dir(&real).unwrap();
    symlink(&real, tmp.path().join("named")).unwrap();
    let root = PrivateDir::open_root(&tmp.path().join("named")).unwrap();
    root.write_atomic("a", b"x").unwrap();
    assert_eq!(fs::read(real.join("a")).unwrap(), b"x");
    fs::write(tmp.path().join("file"), b"").unwrap();
    for err in [
        PrivateDir::open_root(&tmp.path().join("file")).unwrap_err(),
        PrivateDir::create_root(&tmp.path().join("file")).unwrap_err(),
        PrivateDir::create_root(&tmp.path().join("file/sub")).unwrap_err(),
    ] {
        assert!(matches!(err, FsError::NotAFolder { .. }), "{err:?}");
    }
}

#[test]
fn a_failed_atomic_write_leaves_the_old_file_and_no_temp() {
    let (tmp, root, _) = setup();
    root.write_atomic("p/a", b"old").unwrap();
    // The final name is a folder: the rename fails after the bytes were written (as root too).
    fs::create_dir(tmp.path().join("root/p/b")).unwrap();
    fs::write(tmp.path().join("root/p/b/keep"), b"x").unwrap();
    let err = root.write_atomic("p/b", b"new").unwrap_err();
    assert!(matches!(err, FsError::Io { .. }), "{err:?}");
    assert_eq!(err.path(), tmp.path().join("root/p/b"));
    assert_eq!(fs::read(tmp.path().join("root/p/a")).unwrap(), b"old");
    let names: Vec<_> = fs::read_dir(tmp.path().join("root/p"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn linking_never_replaces_and_the_temp_goes_away() {
    let (tmp, root, _) = setup();
    let dir = root.make_dir("p").unwrap();
    let mut temp = dir.temp_file("x.jpg").unwrap();
    temp.write_all(b"one").unwrap();
    assert_eq!(
        temp.link_new("x.jpg").unwrap(),
        tmp.path().join("root/p/x.jpg")
    );
    let taken = temp.link_new("x.jpg").unwrap_err();
    assert_eq!(taken.kind(), std::io::ErrorKind::AlreadyExists);
    drop(temp);
    let names: Vec<_> = fs::read_dir(tmp.path().join("root/p"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["x.jpg"]);
}

#[test]
fn sweeping_removes_leftover_temp_files_only_and_follows_no_link() {
    let (tmp, root, outside) = setup();
    root.write_atomic("p/images/a.jpg", b"x").unwrap();
    fs::write(outside.join(".a.jpg.1-1.part"), b"theirs").unwrap();
    symlink(&outside, tmp.path().join("root/q")).unwrap();
    for leftover in [".m.1-0.part", "p/.r.1-1.part", "p/images/.a.jpg.1-2.part"] {
        fs::write(tmp.path().join("root").join(leftover), b"half").unwrap();
    }
    fs::write(tmp.path().join("root/p/images/deep.part"), b"kept").unwrap();
    assert_eq!(root.sweep_temp_files(2).unwrap(), 3);
    assert!(outside.join(".a.jpg.1-1.part").exists());
    assert!(tmp.path().join("root/p/images/a.jpg").exists());
    assert!(tmp.path().join("root/p/images/deep.part").exists());
    assert_eq!(root.sweep_temp_files(2).unwrap(), 0);
}

#[test]
fn a_single_private_file_gets_a_private_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("data/truora-tui/reviews.db");
    let mut file = open_private_file(&path, Access::ReadWrite).unwrap();
    std::io::Write::write_all(&mut file, b"x").unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    fs::set_permissions(path.parent().unwrap(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    open_private_file(&path, Access::Append).unwrap();
    assert_eq!(mode(&path), 0o600);
    // An existing folder keeps its mode: the user may have chosen a shared one.
    assert_eq!(mode(path.parent().unwrap()), 0o755);
    let link = tmp.path().join("data/truora-tui/audit.log");
    symlink(tmp.path().join("elsewhere"), &link).unwrap();
    let err = open_private_file(&link, Access::Append).unwrap_err();
    assert!(matches!(err, FsError::Link { .. }), "{err:?}");
    assert!(!tmp.path().join("elsewhere").exists());
}

/// Runs `f` on a thread and waits for it with a deadline: a reader that blocks on a FIFO fails
/// the test instead of hanging it.
fn within_deadline<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(f()));
    rx.recv_timeout(std::time::Duration::from_secs(20))
        .expect("the read blocked: it waited on a FIFO")
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

#[test]
fn reading_refuses_a_fifo_or_a_socket_at_once_and_names_it() {
    let (tmp, root, _) = setup();
    root.write_atomic("p/result.json", b"{}").unwrap();
    mkfifo(&tmp.path().join("root/p/fifo.json"));
    let socket = tmp.path().join("root/p/socket.json");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    for (name, what) in [("p/fifo.json", "a FIFO"), ("p/socket.json", "a socket")] {
        let reader = root.clone();
        let errors = within_deadline(move || {
            [
                reader.open_file(name).map(drop),
                reader.read(name).map(drop),
                reader.file_len(name).map(drop),
            ]
        });
        for err in errors {
            let err = err.unwrap_err();
            assert!(matches!(err, FsError::NotAPlainFile { .. }), "{err:?}");
            assert_eq!(err.path(), tmp.path().join("root").join(name));
            assert!(err.to_string().contains(what), "{err}");
        }
    }
    assert_eq!(root.file_len("p/result.json").unwrap(), 2);
    assert_eq!(root.read("p/result.json").unwrap(), b"{}");
    let missing = root.file_len("p/none.json").unwrap_err();
    assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn reading_follows_no_link_on_the_way_or_in_place() {
    let (tmp, root, outside) = setup();
    // A copy elsewhere, reached through a linked folder or a linked file, is not read.
    symlink(&outside, tmp.path().join("root/p")).unwrap();
    fs::create_dir(tmp.path().join("root/q")).unwrap();
    symlink(outside.join("a.jpg"), tmp.path().join("root/q/a.jpg")).unwrap();
    for (rel, link) in [("p/a.jpg", "root/p"), ("q/a.jpg", "root/q/a.jpg")] {
        for err in [
            root.open_file(rel).map(drop).unwrap_err(),
            root.read(rel).map(drop).unwrap_err(),
            root.file_len(rel).map(drop).unwrap_err(),
        ] {
            assert!(matches!(err, FsError::Link { .. }), "{rel}: {err:?}");
            assert_eq!(err.path(), tmp.path().join(link), "{rel}");
            assert!(err.to_string().contains("never follows links"), "{err}");
        }
    }
}
