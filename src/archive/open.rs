//! Opening an archive: the bookkeeping read as a stream into the index (a record at a time, the
//! record dropped once its place and its few facts are noted), the folders no record claims
//! scanned, and the list put in order.

use std::collections::HashSet;
use std::path::PathBuf;

use super::books::{self, Books};
use super::index::{Ids, Place, Slot, Span, Validations};
use super::view::count;
use super::{Archive, ArchiveError, Row, RowFrom, scan};
use crate::export::format::Record;
use crate::export::layout;
use crate::fsx::PrivateDir;

/// The index as the records arrive.
#[derive(Default)]
struct Builder {
    ids: Ids,
    validations: Validations,
    /// Keys in the order their first record came.
    order: Vec<u32>,
    /// Records ignored, one line each.
    rejected: Vec<String>,
    /// Folders records claim whose name is not their process id (ids that are not safe file
    /// names, and the older short hashes): the rest are found by id.
    odd_folders: HashSet<String>,
}

impl Builder {
    fn add(&mut self, place: Place, r: Record) {
        let unsafe_folder = !layout::is_safe_relative(&r.folder) || r.folder.contains('/');
        if unsafe_folder || !layout::is_folder_of(&r.folder, &r.process_id) {
            self.rejected.push(format!(
                "the record of {} names {}; ignored",
                crate::api::client::short(&r.process_id),
                if unsafe_folder {
                    "an unsafe folder"
                } else {
                    "a folder that is not its own"
                }
            ));
            return;
        }
        let Some(key) = self.ids.key(&r.process_id) else {
            self.rejected
                .push("more process ids than an archive can hold; ignored".into());
            return;
        };
        if !self.ids.slot(key).is_exported() {
            self.order.push(key);
        }
        if r.folder != r.process_id {
            self.odd_folders.insert(r.folder.clone());
        }
        self.validations.add(key, &r);
        // A later record of the same process wins, as the journal's over the manifest's.
        self.ids.set_slot(key, Slot::of(place, &r));
    }

    /// Whether a record claims this folder.
    fn claims(&self, folder: &str) -> bool {
        self.odd_folders.contains(folder) || self.ids.exported(folder).is_some()
    }
}

impl Archive {
    /// Opens `dir`, tolerating a missing or damaged manifest. Fails only when `dir` is not a
    /// folder or holds nothing an export writes.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Archive, ArchiveError> {
        let dir = dir.into();
        if !dir.is_dir() {
            return Err(ArchiveError::NotAFolder { dir });
        }
        let root = PrivateDir::open_root(&dir).map_err(ArchiveError::Refused)?;
        let mut b = Builder::default();
        let manifest = books::manifest(&root, &mut |span, r| b.add(Place::Manifest(span), r));
        if manifest.unused.is_some() {
            // Nothing it says is taken: not its records either.
            b = Builder::default();
        }
        let mut journaled = 0;
        let (journal, bad_lines) = books::journal(&dir, &root, &mut |span: Span, r| {
            journaled += 1;
            b.add(Place::Journal(span), r);
        })?;
        let books = Books {
            head: manifest.head,
            journaled,
            unused_manifest: manifest.unused,
            bad_lines,
        };
        let recorded = b.order.len();
        let mut scan = scan::unrecorded(&root, &|folder| b.claims(folder), &|id| {
            b.ids.exported(id).is_some()
        });
        let scanned = std::mem::take(&mut scan.found);
        if books.head.is_none() && recorded == 0 && scanned.is_empty() {
            return Err(ArchiveError::Empty { dir });
        }
        let mut problems = books.problems(&dir, recorded, scanned.len());
        problems.append(&mut b.rejected);
        problems.append(&mut scan.refused);
        if !scanned.is_empty() {
            problems.push(if recorded == 0 {
                format!(
                    "no usable manifest or journal: {} found by scanning folders; images matched by their names",
                    count(scanned.len(), "process", "processes")
                )
            } else {
                format!(
                    "{} only partly written (the export stopped while writing them)",
                    count(scanned.len(), "process", "processes")
                )
            });
        }
        let bookkeeping = problems.len();
        let mut folders = Vec::with_capacity(scanned.len());
        for (id, entry) in scanned {
            let Some(key) = b.ids.key(&id) else { break };
            let Ok(at) = u32::try_from(folders.len()) else {
                break;
            };
            for f in entry
                .files
                .iter()
                .filter(|f| f.kind == crate::export::format::FileKind::Details)
            {
                if let Some(v) = &f.validation_id {
                    b.validations.add_one(key, v);
                }
            }
            b.ids.set_slot(
                key,
                Slot {
                    place: Place::Scanned(at),
                    state: None,
                    gone: 0,
                },
            );
            b.order.push(key);
            folders.push(entry.folder);
        }
        let Builder {
            ids,
            mut validations,
            order,
            ..
        } = b;
        validations.seal();
        let mut archive = Archive {
            dir,
            head: books.head,
            ids,
            rows: Vec::new(),
            validations,
            scanned: folders,
            manifest: manifest.file,
            journal,
            list: None,
            problems,
            bookkeeping,
            root,
        };
        archive.build_list(&order);
        archive.describe();
        archive.ids.shrink();
        Ok(archive)
    }

    /// Keeps only these processes, in this order (`--archive` with `--ids-file`); ids the
    /// archive lacks stay listed and say so when opened.
    pub fn retain_ids(&mut self, ids: &[String]) {
        // Each process's row as listed; a second mention of an id gets a bare row.
        let mut listed: Vec<Option<RowFrom>> = vec![None; self.ids.len()];
        for row in &self.rows {
            listed[row.key as usize].get_or_insert(row.from);
        }
        let mut rows = Vec::with_capacity(ids.len());
        let mut absent = 0;
        for id in ids {
            let Some(key) = self.ids.key(id) else { break };
            let from = listed
                .get_mut(key as usize)
                .and_then(Option::take)
                .unwrap_or(RowFrom::Bare);
            rows.push(Row { key, from });
            absent += usize::from(!self.ids.slot(key).is_exported());
        }
        self.rows = rows;
        if absent > 0 {
            self.problems.push(format!(
                "{} of the ids file not in the archive",
                count(absent, "id", "ids")
            ));
        }
    }
}
