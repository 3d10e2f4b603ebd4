//! The demo's own review store is seeded so that every kind of mark can be seen at once.

use truora_tui::api::model::ProcessResult;
use truora_tui::demo::{DemoOptions, DemoServer};
use truora_tui::review::demo_seed::{DEMO_COLLEAGUE, seed_demo};
use truora_tui::review::{OverrideState, Store, truora_status_of};

#[tokio::test]
async fn the_demo_shows_applied_stale_and_outdated_marks() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("demo-reviews.sqlite3")).unwrap();
    let added = seed_demo(&mut store, &server).unwrap();
    assert_eq!(added, 5);
    let (reviews, _) = store.reviews().unwrap();
    let (mut applied, mut stale, mut outdated) = (0, 0, 0);
    for (id, review) in &reviews {
        assert_eq!(review.decided_by.as_deref(), Some(DEMO_COLLEAGUE));
        let result = ProcessResult::from_value(server.result_json(id).unwrap()).unwrap();
        let mark = review.mark(
            truora_status_of(&result).as_ref(),
            Some(&result.override_history),
        );
        match mark.override_mark.map(|o| o.state) {
            Some(OverrideState::Applied) => applied += 1,
            Some(OverrideState::Stale) => stale += 1,
            Some(OverrideState::Pending) => panic!("{id}: nothing seeded is pending"),
            None => outdated += usize::from(mark.outdated),
        }
    }
    assert_eq!((applied, stale, outdated), (3, 1, 1));
    assert_eq!(seed_demo(&mut store, &server).unwrap(), 0, "seeded once");
}
