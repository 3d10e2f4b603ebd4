//! Who each row is about: the person's name and document number. The list endpoint does not
//! send them, so a row learns them from its result — one at a time as results load, or every
//! row of an archive, read in the background. The filter finds rows by them with case and
//! accents folded (`maria` finds `María`). A child of `list` so a row that starts matching the
//! filter takes its place in the visible set in place.

use std::collections::HashMap;

use super::ProcessList;
use crate::api::model::Person;
pub use crate::app::message::PersonAt;

/// A row's person and its search key: name and number lower-cased with accents folded, computed
/// once so filtering 100,000 rows compares bytes and allocates nothing.
#[derive(Debug)]
pub struct RowPerson {
    pub person: Person,
    key: String,
}

impl RowPerson {
    fn new(person: Person) -> RowPerson {
        let key = [&person.name, &person.document_number]
            .into_iter()
            .flatten()
            .map(|s| fold(s))
            .collect::<Vec<_>>()
            .join("\n");
        RowPerson { person, key }
    }
}

impl ProcessList {
    /// The person of the row at `index` (an index into the loaded rows), once known.
    pub fn person(&self, index: u32) -> Option<&Person> {
        self.people
            .get(index as usize)
            .and_then(Option::as_deref)
            .map(|p| &p.person)
    }

    /// Rows whose person is known.
    pub fn people_known(&self) -> usize {
        self.people_known
    }

    /// Sets the person of every row of `process_id` (from its result). Returns whether any row
    /// changed.
    pub fn set_person(&mut self, process_id: &str, person: &Person) -> bool {
        let rows: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.process_id.as_deref() == Some(process_id))
            .map(|(i, _)| i)
            .collect();
        let changed: Vec<u32> = rows
            .into_iter()
            .filter(|&i| self.attach(i, person.clone()))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        self.readmit(&changed);
        !changed.is_empty()
    }

    /// Sets many people at once (an archive's, read in the background). Each row is found by its
    /// hint, else by a scan of the rows (one per batch); people of rows not loaded yet wait for
    /// their page.
    pub fn set_people(&mut self, batch: Vec<PersonAt>) {
        let mut changed = Vec::new();
        let mut misses: HashMap<String, Person> = HashMap::new();
        for p in batch {
            let hit = self
                .rows
                .get(p.row)
                .is_some_and(|r| r.process_id.as_deref() == Some(p.process_id.as_str()));
            if hit {
                if self.attach(p.row, p.person) {
                    changed.extend(u32::try_from(p.row).ok());
                }
            } else {
                misses.insert(p.process_id, p.person);
            }
        }
        if !misses.is_empty() {
            let found: Vec<(usize, Person)> = self
                .rows
                .iter()
                .enumerate()
                .filter_map(|(i, r)| Some((i, misses.get(r.process_id.as_deref()?)?.clone())))
                .collect();
            for (i, person) in found {
                if let Some(id) = self.rows[i].process_id.as_deref() {
                    misses.remove(id);
                }
                if self.attach(i, person) {
                    changed.extend(u32::try_from(i).ok());
                }
            }
            self.pending_people.extend(misses);
        }
        self.readmit(&changed);
    }

    /// A page's rows take the people that arrived before them.
    pub(super) fn take_pending_people(&mut self, first_new: usize) {
        if self.pending_people.is_empty() {
            return;
        }
        for i in first_new..self.rows.len() {
            let found = self.rows[i]
                .process_id
                .as_deref()
                .and_then(|id| self.pending_people.remove(id));
            if let Some(person) = found {
                self.attach(i, person);
            }
        }
    }

    /// Whether the row's person matches the (folded) filter.
    pub(super) fn person_matches(&self, i: usize) -> bool {
        self.people
            .get(i)
            .and_then(Option::as_deref)
            .is_some_and(|p| p.key.contains(self.folded_needle.as_str()))
    }

    /// Sets row `i`'s person; false when it already had this one.
    fn attach(&mut self, i: usize, person: Person) -> bool {
        if i >= self.rows.len() {
            return false;
        }
        if self.people.len() < self.rows.len() {
            self.people.resize_with(self.rows.len(), || None);
        }
        if self.people[i].as_ref().is_some_and(|p| p.person == person) {
            return false;
        }
        self.content
            .add_person(person.name.as_deref(), person.document_number.as_deref());
        if self.people[i].is_none() {
            self.people_known += 1;
        }
        self.people[i] = Some(Box::new(RowPerson::new(person)));
        true
    }

    /// Rows that may match the filter now that they have a person take their sorted place.
    fn readmit(&mut self, changed: &[u32]) {
        if self.needle.is_empty() || changed.is_empty() {
            return;
        }
        let selected = self.selected_index();
        for &i in changed {
            if !self.admits(i as usize) {
                continue;
            }
            let key = self.order_key(i);
            if let Err(at) = self
                .visible
                .binary_search_by_key(&key, |&v| self.order_key(v))
            {
                self.visible.insert(at, i);
            }
        }
        self.reselect(selected);
    }
}

/// Lower case with the accents of Latin letters taken off (`María Núñez` → `maria nunez`), so a
/// search typed on any keyboard finds the name as the document spells it.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(unaccent)
        .collect()
}

fn unaccent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì'..='ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::ProcessSummary;

    fn row(id: &str) -> ProcessSummary {
        ProcessSummary {
            process_id: Some(id.to_owned()),
            ..ProcessSummary::default()
        }
    }

    fn person(name: &str, number: &str) -> Person {
        Person {
            name: Some(name.to_owned()),
            document_number: Some(number.to_owned()),
        }
    }

    #[test]
    fn folding_takes_case_and_accents_off() {
        assert_eq!(fold("María José NÚÑEZ"), "maria jose nunez");
        assert_eq!(fold("Çağlar Øster"), "caglar oster");
    }

    #[test]
    fn people_arrive_by_hint_by_scan_and_before_their_page() {
        let mut list = ProcessList::default();
        list.push_page(vec![row("a"), row("b"), row("c")]);
        list.set_filter("nuñez");
        assert_eq!(list.visible_len(), 0);
        list.set_people(vec![
            // Right hint, wrong hint, and a row not loaded yet.
            PersonAt {
                row: 0,
                process_id: "a".into(),
                person: person("Ana Núñez", "111"),
            },
            PersonAt {
                row: 0,
                process_id: "c".into(),
                person: person("Carla Nunez", "333"),
            },
            PersonAt {
                row: 3,
                process_id: "d".into(),
                person: person("Dora Núñez", "444"),
            },
        ]);
        let shown = |l: &ProcessList| -> Vec<String> {
            l.visible()
                .iter()
                .filter_map(|&i| l.row(i)?.process_id.clone())
                .collect()
        };
        assert_eq!(shown(&list), ["a", "c"]);
        list.push_page(vec![row("d")]);
        assert_eq!(shown(&list), ["a", "c", "d"]);
        assert_eq!(list.people_known(), 3);
        // The number matches as well; a narrowing filter keeps working.
        list.set_filter("44");
        assert_eq!(shown(&list), ["d"]);
        list.set_filter("");
        assert_eq!(list.visible_len(), 4);
    }
}
