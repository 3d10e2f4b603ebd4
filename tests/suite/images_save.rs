//! Saving: names, modes, no overwrite, no leftovers, no escape from the download folder, and
//! no write through a link planted in it.
#![cfg(unix)]

use crate::skip_support;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use skip_support::in_unprivileged_child;
use truora_tui::api::model::{ImageKind, ImageLink};
use truora_tui::images::{SaveError, SaveOutcome, save, save_name};

const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0 pretend jpeg";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n pretend png";
const PDF: &[u8] = b"%PDF-1.7\n";

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn names(dir: &Path) -> Vec<String> {
    files(dir)
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect()
}

fn link(kind: ImageKind, field: &str) -> ImageLink {
    ImageLink {
        field: field.into(),
        path: field.into(),
        kind,
        url: "https://s3.example/x".into(),
    }
}

#[test]
fn names_are_the_process_the_trees_label_and_the_sniffed_extension() {
    let cases = [
        (
            ImageKind::DocumentFront,
            "front_image",
            JPEG,
            "IDP1-document-front.jpg",
        ),
        (
            ImageKind::DocumentReverse,
            "reverse_image",
            JPEG,
            "IDP1-document-reverse.jpg",
        ),
        (
            ImageKind::FacePhoto,
            "face_photo",
            PNG,
            "IDP1-face-photo.png",
        ),
        (
            ImageKind::ReferenceFace,
            "front_image",
            JPEG,
            "IDP1-reference-face.jpg",
        ),
        (
            ImageKind::FacePhotoWatermark,
            "face_photo_watermark",
            JPEG,
            "IDP1-face-photo-watermarked.jpg",
        ),
        (
            ImageKind::Signature,
            "signature_image_url",
            PNG,
            "IDP1-signature.png",
        ),
        // What the tree calls only a file says which one.
        (
            ImageKind::Document,
            "signed_document_url",
            PDF,
            "IDP1-document-file-signed-document-url.pdf",
        ),
        (
            ImageKind::InputFile,
            "input_files-2",
            b"PK\x03\x04",
            "IDP1-input-file-2.bin",
        ),
        (ImageKind::Other, "homepage", b"", "IDP1-file-homepage.bin"),
    ];
    for (kind, field, bytes, want) in cases {
        assert_eq!(save_name("IDP1", &link(kind, field), bytes), want);
    }
    // Hostile parts cannot add folders or hide the file.
    let name = save_name("../../x", &link(ImageKind::Other, "/etc/passwd"), JPEG);
    assert_eq!(name, "_._.._x-file-etc-passwd.jpg");
    let name = save_name("", &link(ImageKind::Other, ".bashrc"), b"");
    assert_eq!(name, "_-file-bashrc.bin");
    let name = save_name("validación", &link(ImageKind::Other, "foto 😀"), JPEG);
    assert!(name.is_ascii() && !name.contains(' '), "{name}");
}

#[test]
fn the_same_bytes_are_not_saved_twice_under_any_name() {
    let tmp = tempfile::tempdir().unwrap();
    let first = save(tmp.path(), "IDP1", "IDP1-reference-face.jpg", JPEG).unwrap();
    let SaveOutcome::Written(path) = &first else {
        panic!("{first:?}")
    };
    // Saved again, or saved under another name (two links to one photo): nothing written.
    for name in ["IDP1-reference-face.jpg", "IDP1-document-front.jpg"] {
        let again = save(tmp.path(), "IDP1", name, JPEG).unwrap();
        assert_eq!(again, SaveOutcome::Identical(path.clone()), "{name}");
    }
    // Other bytes of the same length, or under the same name, are saved.
    let other = b"\xff\xd8\xff\xe0\0\x10JFIF\0 pretend jpeX";
    assert_eq!(other.len(), JPEG.len());
    let written = save(tmp.path(), "IDP1", "IDP1-reference-face.jpg", other).unwrap();
    assert_eq!(
        written,
        SaveOutcome::Written(tmp.path().join("IDP1/IDP1-reference-face-1.jpg"))
    );
    assert_eq!(
        names(tmp.path()),
        [
            "IDP1/IDP1-reference-face-1.jpg",
            "IDP1/IDP1-reference-face.jpg"
        ]
    );
    // Another process's folder is another matter.
    let elsewhere = save(tmp.path(), "IDP2", "IDP2-reference-face.jpg", JPEG).unwrap();
    assert!(
        matches!(elsewhere, SaveOutcome::Written(_)),
        "{elsewhere:?}"
    );
    // A link in the folder is never read as a match, even to a file with the same bytes.
    let outside = tmp.path().join("outside.jpg");
    fs::write(&outside, PNG).unwrap();
    symlink(&outside, tmp.path().join("IDP2/linked.jpg")).unwrap();
    let saved = save(tmp.path(), "IDP2", "IDP2-face-photo.png", PNG).unwrap();
    assert_eq!(
        saved,
        SaveOutcome::Written(tmp.path().join("IDP2/IDP2-face-photo.png"))
    );
}

#[test]
fn creates_private_folders_and_files() {
    let tmp = tempfile::tempdir().unwrap();
    let download_dir = tmp.path().join("downloads/truora");
    let path = save(
        &download_dir,
        "IDPabc",
        "document-validation-front_image.jpg",
        JPEG,
    )
    .unwrap()
    .path()
    .to_path_buf();
    assert_eq!(
        path,
        download_dir.join("IDPabc/document-validation-front_image.jpg")
    );
    assert_eq!(fs::read(&path).unwrap(), JPEG);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&download_dir.join("IDPabc")), 0o700);
    assert_eq!(mode(&download_dir), 0o700);
    assert_eq!(mode(&tmp.path().join("downloads")), 0o700);
}

#[test]
fn an_existing_download_dir_keeps_its_mode() {
    let tmp = tempfile::tempdir().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    save(tmp.path(), "IDP1", "a.jpg", JPEG).unwrap();
    assert_eq!(mode(tmp.path()), 0o755);
    assert_eq!(mode(&tmp.path().join("IDP1")), 0o700);
}

#[test]
fn never_overwrites_and_leaves_no_temp_files() {
    let tmp = tempfile::tempdir().unwrap();
    let contents: [&[u8]; 3] = [b"\xff\xd8\xffone", b"\xff\xd8\xfftwo", b"\xff\xd8\xffthree"];
    let paths: Vec<PathBuf> = contents
        .iter()
        .map(|bytes| {
            save(tmp.path(), "IDP1", "face-recognition-face_photo.jpg", bytes)
                .unwrap()
                .path()
                .to_path_buf()
        })
        .collect();
    assert_eq!(
        names(tmp.path()),
        [
            "IDP1/face-recognition-face_photo-1.jpg",
            "IDP1/face-recognition-face_photo-2.jpg",
            "IDP1/face-recognition-face_photo.jpg",
        ]
    );
    for (path, bytes) in paths.iter().zip(contents) {
        assert_eq!(fs::read(path).unwrap(), bytes);
        assert_eq!(mode(path), 0o600);
    }
}

#[test]
fn concurrent_saves_of_one_name_all_land() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let threads: Vec<_> = (0..8u8)
        .map(|i| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let saved = save(&dir, "IDP1", "x.jpg", &[0xff, 0xd8, 0xff, i]).unwrap();
                saved.path().to_path_buf()
            })
        })
        .collect();
    let mut seen: Vec<u8> = threads
        .into_iter()
        .map(|t| fs::read(t.join().unwrap()).unwrap()[3])
        .collect();
    seen.sort();
    assert_eq!(seen, (0..8).collect::<Vec<u8>>());
    assert_eq!(files(tmp.path()).len(), 8);
}

#[test]
fn hostile_process_ids_and_names_stay_inside_the_download_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let download_dir = tmp.path().join("dl");
    let root = {
        fs::create_dir(&download_dir).unwrap();
        download_dir.canonicalize().unwrap()
    };
    let hostile = [
        "../../x",
        "..",
        ".",
        "",
        "/etc/passwd",
        "a/../../b",
        "C:\\x",
        "ü🦀",
        "\u{0}nul",
        "-rf",
    ];
    for process_id in hostile {
        for field in hostile {
            let name = save_name(process_id, &link(ImageKind::Other, field), JPEG);
            let saved = save(&download_dir, process_id, &name, JPEG)
                .unwrap_or_else(|e| panic!("{process_id:?}/{field:?}: {e}"));
            let path = saved.path();
            let real = path.canonicalize().unwrap();
            assert_eq!(
                real.parent().and_then(Path::parent),
                Some(root.as_path()),
                "{process_id:?}/{field:?} -> {}",
                path.display()
            );
        }
        // A name that did not come from save_name is sanitised too.
        let saved = save(&download_dir, process_id, "../../../escape.jpg", JPEG).unwrap();
        assert!(saved.path().canonicalize().unwrap().starts_with(&root));
    }
    // Nothing was written next to the download folder.
    let outside: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, ["dl"]);
}

#[test]
fn a_file_in_place_of_the_download_dir_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let not_a_dir = tmp.path().join("file");
    fs::write(&not_a_dir, b"x").unwrap();
    let err = save(&not_a_dir, "IDP1", "a.jpg", JPEG).unwrap_err();
    assert!(matches!(err, SaveError::NotAFolder { .. }), "{err:?}");
    assert!(
        err.to_string()
            .ends_with("is not a folder: change download_dir"),
        "{err}"
    );
}

#[test]
fn a_read_only_folder_fails_cleanly() {
    if in_unprivileged_child("images_save::a_read_only_folder_fails_cleanly").is_some() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("IDP1");
    fs::create_dir(&folder).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o500)).unwrap();
    assert!(
        fs::write(folder.join("probe"), b"").is_err(),
        "the modes apply in the child"
    );
    let err = save(tmp.path(), "IDP1", "a.jpg", JPEG).unwrap_err();
    assert!(matches!(err, SaveError::PermissionDenied { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("permission denied creating "),
        "{err}"
    );
    assert!(err.to_string().ends_with(": check download_dir"), "{err}");
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o700)).unwrap();
    assert!(files(tmp.path()).is_empty());
}

#[test]
fn a_link_in_place_of_the_process_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let download_dir = tmp.path().join("dl");
    let outside = tmp.path().join("outside");
    fs::create_dir_all(&download_dir).unwrap();
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("a.jpg"), b"theirs").unwrap();
    let planted = download_dir.join("IDP1");
    symlink(&outside, &planted).unwrap();
    let err = save(&download_dir, "IDP1", "a.jpg", JPEG).unwrap_err();
    assert!(matches!(err, SaveError::Refused(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("{} is a symbolic link", planted.display())),
        "{err}"
    );
    assert_eq!(names(&outside), ["a.jpg"]);
    assert_eq!(fs::read(outside.join("a.jpg")).unwrap(), b"theirs");
    // A link in place of a file name is never written through either: the save takes the
    // next free name.
    fs::remove_file(&planted).unwrap();
    fs::create_dir(&planted).unwrap();
    symlink(outside.join("a.jpg"), planted.join("a.jpg")).unwrap();
    let saved = save(&download_dir, "IDP1", "a.jpg", JPEG).unwrap();
    assert_eq!(saved, SaveOutcome::Written(planted.join("a-1.jpg")));
    assert_eq!(fs::read(outside.join("a.jpg")).unwrap(), b"theirs");
}

#[test]
fn the_download_dir_may_be_a_link_and_a_loose_process_folder_is_made_private() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    fs::create_dir(&real).unwrap();
    let download_dir = tmp.path().join("dl");
    symlink(&real, &download_dir).unwrap();
    fs::create_dir(real.join("IDP1")).unwrap();
    fs::set_permissions(real.join("IDP1"), fs::Permissions::from_mode(0o755)).unwrap();
    let saved = save(&download_dir, "IDP1", "a.jpg", JPEG).unwrap();
    assert_eq!(fs::read(real.join("IDP1/a.jpg")).unwrap(), JPEG);
    assert_eq!(saved, SaveOutcome::Written(download_dir.join("IDP1/a.jpg")));
    assert_eq!(mode(&real.join("IDP1")), 0o700);
    assert_eq!(mode(&real.join("IDP1/a.jpg")), 0o600);
}
