//! Turning a [`ProcessResult`] (and any fetched validation details) into tree nodes: the process,
//! its override history, then one subtree per validation.

use super::Node;
use super::builder::Builder;
pub use super::builder::DetailsState;
use super::{process, review, validation};
use crate::api::model::ProcessResult;
use crate::app::cache::Lru;
use crate::date::zone::DisplayZone;

/// The nodes for a process result: process, override history, then one node per validation.
/// Times are shown in `zone`, each with its abbreviation.
pub fn build(
    process_id: &str,
    result: &ProcessResult,
    details: &Lru<String, DetailsState>,
    zone: &DisplayZone,
) -> Vec<Node> {
    build_with_review(process_id, result, details, (&[], None), zone)
}

/// [`build`] with the review desk's decision history of the process (and its current mark)
/// after Truora's overrides.
pub fn build_with_review(
    process_id: &str,
    result: &ProcessResult,
    details: &Lru<String, DetailsState>,
    (history, mark): (&[crate::review::HistoryLine], Option<&crate::review::Mark>),
    zone: &DisplayZone,
) -> Vec<Node> {
    let mut b = Builder {
        nodes: Vec::new(),
        open: Vec::new(),
        process_id,
        result,
        zone,
    };
    process::process_nodes(&mut b, result);
    process::override_nodes(&mut b, result);
    review::review_nodes(&mut b, history, mark);
    for v in &result.validations {
        validation::validation(&mut b, v, details);
    }
    b.nodes
}
