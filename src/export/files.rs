//! A process's files on disk: each written atomically through the `--out` root (never through
//! a link below it, see [`crate::fsx`]), files of an earlier run reused after a checksum check,
//! and the process's folders checked before it starts.

use super::context::{Ctx, Fail};
use super::format::{FileKind, FileRecord};
use super::layout::{self, IMAGES};
use super::progress::Event;

/// What a reusable file must match.
pub(super) struct Reuse<'a> {
    pub kind: FileKind,
    pub key: Option<&'a str>,
    pub field: Option<&'a str>,
    /// For images: the link without its signature (the same object at the image host).
    pub object: Option<&'a str>,
    /// The planned path without its extension: a reused file keeps its name, and no new file of
    /// the process can be written over it.
    pub path_stem: &'a str,
}

/// A file an earlier run wrote for the same key, link and name, still there with the same
/// checksum (read without following a link).
pub(super) async fn reusable(
    ctx: &Ctx,
    base: &str,
    reuse: &[FileRecord],
    wanted: Reuse<'_>,
) -> Option<FileRecord> {
    let file = reuse.iter().find(|f| {
        f.kind == wanted.kind
            && f.validation_id.as_deref() == wanted.key
            && f.field.as_deref() == wanted.field
            && (wanted.object.is_none() || f.link.as_deref() == wanted.object)
            && f.path.rsplit_once('.').map(|(stem, _)| stem) == Some(wanted.path_stem)
            && layout::is_safe_relative(&f.path)
    })?;
    let (root, path) = (ctx.root.clone(), format!("{base}/{}", file.path));
    let expected = file.sha256.clone();
    let same = tokio::task::spawn_blocking(move || {
        root.read(&path)
            .is_ok_and(|bytes| layout::sha256_hex(&bytes) == expected)
    })
    .await
    .unwrap_or(false);
    same.then(|| file.clone())
}

/// Writes one file of the process on the blocking pool (hashing included) and reports it.
/// The write runs to completion even if the export is stopped meanwhile.
pub(super) async fn write(
    ctx: &Ctx,
    base: &str,
    rel: String,
    bytes: Vec<u8>,
    image: bool,
) -> Result<(u64, String), Fail> {
    let (root, target) = (ctx.root.clone(), format!("{base}/{rel}"));
    let path = ctx.dir.join(&target);
    let outcome = tokio::task::spawn_blocking(move || {
        let sha = layout::sha256_hex(&bytes);
        root.write_atomic(&target, &bytes)
            .map(|()| (bytes.len() as u64, sha))
            .map_err(Fail::from)
    })
    .await
    .unwrap_or_else(|e| {
        let source = std::io::Error::other(format!("the write stopped ({e})"));
        Err(Fail::Io { path, source })
    });
    let (size, sha) = outcome?;
    ctx.report(Event::FileWritten { bytes: size, image });
    Ok((size, sha))
}

/// Fails when the process's folder, or its `images` or `validations` folder, is a link or not
/// a folder; makes those that exist 0700 (files reused from them stay there). Missing ones are
/// fine: they are created 0700 when written to.
pub(super) async fn check_folders(ctx: &Ctx, folder: &str) -> Result<(), Fail> {
    let root = ctx.root.clone();
    let folders = [
        folder.to_owned(),
        format!("{folder}/{IMAGES}"),
        format!("{folder}/{}", super::layout::VALIDATIONS),
    ];
    let path = ctx.dir.join(folder);
    tokio::task::spawn_blocking(move || folders.iter().try_for_each(|f| root.check_dir(f)))
        .await
        .unwrap_or_else(|e| {
            Err(crate::fsx::FsError::Io {
                path,
                source: std::io::Error::other(format!("the check stopped ({e})")),
            })
        })
        .map_err(Fail::from)
}
