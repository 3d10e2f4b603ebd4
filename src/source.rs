//! Where the browser's data comes from. Today: the Truora API (live, or the embedded demo, which
//! is the same client pointed at a loopback server). The worker only talks to a `Source`, so an
//! offline archive or a list of ids can stand in without the app noticing.

use crate::api::model::{ProcessResult, ValidationDetails};
use crate::api::paging::Pages;
use crate::api::{ApiError, Client, Fetched};
use crate::app::ImageKey;

pub struct Source {
    kind: Kind,
    label: String,
}

enum Kind {
    Api(Client),
}

impl Source {
    /// The live API (or the demo server, which speaks the same HTTP).
    pub fn api(client: Client, label: impl Into<String>) -> Source {
        Source {
            kind: Kind::Api(client),
            label: label.into(),
        }
    }

    /// Shown in the status bar: `live`, `demo`, `archive DIR`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Whether a result can be fetched again (an archive cannot).
    pub fn can_refresh(&self) -> bool {
        match self.kind {
            Kind::Api(_) => true,
        }
    }

    /// The process list from its first page.
    pub fn pages(&self) -> Pages {
        match &self.kind {
            Kind::Api(client) => client.pages(),
        }
    }

    pub async fn result(&self, process_id: &str) -> Result<Fetched<ProcessResult>, ApiError> {
        match &self.kind {
            Kind::Api(client) => client.process_result(process_id).await,
        }
    }

    pub async fn details(
        &self,
        validation_id: &str,
    ) -> Result<Fetched<ValidationDetails>, ApiError> {
        match &self.kind {
            Kind::Api(client) => client.validation_details(validation_id).await,
        }
    }

    /// The bytes of one image: `url` is the link from the newest result; an offline source finds
    /// the file by `key` instead (its stored links have long expired).
    pub async fn file(&self, key: &ImageKey, url: &str, what: &str) -> Result<Vec<u8>, ApiError> {
        let _ = key;
        match &self.kind {
            Kind::Api(client) => client.download(url, what).await,
        }
    }

    /// HTTP requests on the wire right now (for the status bar).
    pub fn in_flight(&self) -> usize {
        match &self.kind {
            Kind::Api(client) => client.in_flight(),
        }
    }
}
