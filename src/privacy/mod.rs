//! Privacy mode: what is personal and how it is masked, decided here and nowhere else.
//!
//! Reviewers share their screens and record demos; document photos, faces, names and numbers are
//! personal (biometric) data. With privacy on, `ui/` and `show` hand every server string through
//! this module before drawing it. It is a visual aid for shared screens, not an access control:
//! the data is still fetched, held and saved as it is.
//!
//! Two rules decide what is personal:
//! - **by field name** ([`field_kind`]): a fixed list of name-like keys (names, document numbers,
//!   birth dates, phones, e-mails, postal address parts, IP addresses, geolocation), matched
//!   case-insensitively across snake, camel and kebab spellings, at any depth of any JSON — fields
//!   the model does not know included. User and account ids are shortened to their last four.
//! - **by value shape** ([`mask_text`]), where no name tells: e-mail addresses, IP addresses,
//!   phone-number-like and document-number-like runs inside free text, and links that open a
//!   picture or document (signed image links: whoever reads one can fetch the photo). Process
//!   and validation ids (`IDP…`, `VLD…`), dates, scores and short counts are left alone so a
//!   reviewer can still work.
//!
//! And one that joins them: **by what the process says** ([`Known`]): the values found under
//! personal keys of a process's own result are hidden wherever its free text quotes them (a
//! validation message naming the holder). Every masking function has a `Known` form; the plain
//! functions are the same with nothing known.

mod json;
mod known;
mod links;
mod pixels;
mod screen;
mod text;

#[cfg(test)]
mod tests;

pub use json::{mask_json, mask_json_bytes};
pub use known::Known;
pub use pixels::{pixelate, pixelate_encoded};
pub use screen::{mask_json_line, mask_labelled, mask_raw_view};
pub use text::mask_text;

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

/// What a hidden value is replaced with: fixed, so it tells nothing of the value's length.
pub const MASK: &str = "•••";

/// What a field name says about its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Not personal by name; its text is still checked by shape.
    Plain,
    /// Personal: the whole value is hidden.
    Personal,
    /// An id of a person or account: only its last four characters are shown.
    Shortened,
}

/// Keys (lower case, without `_`, `-` or spaces) whose values are personal.
const PERSONAL_KEYS: &[&str] = &[
    "name",
    "names",
    "firstname",
    "lastname",
    "fullname",
    "middlename",
    "secondname",
    "givenname",
    "givennames",
    "familyname",
    "surname",
    "surnames",
    "secondlastname",
    "mothername",
    "fathername",
    "holdername",
    "signername",
    "username",
    "documentnumber",
    "docnumber",
    "nationalid",
    "nationalidnumber",
    "personalnumber",
    "idnumber",
    "taxid",
    "curp",
    "rfc",
    "cpf",
    "nit",
    "dateofbirth",
    "birthdate",
    "birthday",
    "dob",
    "placeofbirth",
    "birthplace",
    "phone",
    "phones",
    "phonenumber",
    "cellphone",
    "cellphonenumber",
    "mobile",
    "mobilenumber",
    "telephone",
    "email",
    "emails",
    "emailaddress",
    "mail",
    "address",
    "addresses",
    "streetaddress",
    "street",
    "addressline1",
    "addressline2",
    "postalcode",
    "zipcode",
    "zip",
    "city",
    "neighborhood",
    "ip",
    "ipaddress",
    "geolocationip",
    "geolocationdevice",
    "geolocation",
    "latitude",
    "longitude",
];

/// Keys whose values identify a person or account without being personal themselves: shown by
/// their last four characters, enough to tell two apart in a call.
const SHORTENED_KEYS: &[&str] = &["clientuserid", "userid", "accountid", "customerid"];

/// Key name endings that are personal whatever comes before (`holder_first_name`,
/// `contact_email`, `home_address`, `mobile_phone_number`).
const PERSONAL_SUFFIXES: &[&str] = &[
    "firstname",
    "lastname",
    "fullname",
    "email",
    "phone",
    "phonenumber",
    "address",
    "dateofbirth",
    "birthdate",
    "documentnumber",
];

/// What `key` says about its value. `validation_name`, `type_name` and other names of things
/// (not people) are plain: only the exact keys and the endings above count.
pub fn field_kind(key: &str) -> FieldKind {
    // Keys are short and ASCII: normalised on the stack, as this runs for every key of every
    // JSON masked (`Known` walks a whole result each time one is shown).
    let mut buf = [0u8; 40];
    let mut len = 0;
    let mut ascii = key.is_ascii();
    for b in key
        .bytes()
        .filter(|b| !matches!(b, b'_' | b'-' | b' ' | b'.'))
    {
        if len == buf.len() {
            ascii = false;
            break;
        }
        buf[len] = b.to_ascii_lowercase();
        len += 1;
    }
    if ascii {
        // ASCII in, ASCII out.
        kind_of(std::str::from_utf8(&buf[..len]).unwrap_or_default())
    } else {
        let norm: String = key
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
            .flat_map(char::to_lowercase)
            .collect();
        kind_of(&norm)
    }
}

/// What a normalised key (lower case, no separators) says about its value.
fn kind_of(norm: &str) -> FieldKind {
    // One hash probe instead of seventy comparisons: this runs for every key of every result.
    static PERSONAL: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| PERSONAL_KEYS.iter().copied().collect());
    if SHORTENED_KEYS.contains(&norm) {
        FieldKind::Shortened
    } else if PERSONAL.contains(norm) || PERSONAL_SUFFIXES.iter().any(|s| norm.ends_with(s)) {
        FieldKind::Personal
    } else {
        FieldKind::Plain
    }
}

/// `value` as shown under the field `key` with privacy on.
pub fn mask_field<'a>(key: &str, value: &'a str) -> Cow<'a, str> {
    Known::none().mask_field(key, value)
}

impl Known {
    /// `value` as shown under the field `key` with privacy on, in a process whose personal
    /// values are these.
    pub fn mask_field<'a>(&self, key: &str, value: &'a str) -> Cow<'a, str> {
        match field_kind(key) {
            FieldKind::Plain => self.mask_text(value),
            FieldKind::Personal if value.is_empty() => Cow::Borrowed(value),
            FieldKind::Personal => Cow::Borrowed(MASK),
            FieldKind::Shortened => Cow::Owned(shorten_id(value)),
        }
    }
}

/// The last four characters of an id, after an ellipsis: `…a1b2`. Ids of four characters or
/// fewer are hidden whole (showing them would show all of them).
pub fn shorten_id(id: &str) -> String {
    if let Some(tail) = id.strip_prefix('…')
        && tail.chars().count() <= 4
    {
        return id.to_owned();
    }
    let count = id.chars().count();
    if count <= 4 {
        return MASK.to_owned();
    }
    let tail: String = id.chars().skip(count - 4).collect();
    format!("…{}", mask_text(&tail))
}
