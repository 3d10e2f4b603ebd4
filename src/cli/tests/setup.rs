//! The data source each flag combination gives, the key's absence, and the demo's lifetime.

use std::path::Path;

use super::{config_in, invocation, no_env};
use crate::cli::browse::browse_then_stop;
use crate::cli::{
    CliError, DataFrom, DemoGuard, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, SourceSetup, api_setup,
    source_setup,
};
use crate::config::ConfigError;
use crate::demo::DemoOptions;
use crate::source::Source;

fn demo(processes: usize) -> DataFrom {
    DataFrom::Demo(DemoOptions {
        processes,
        ..DemoOptions::default()
    })
}

/// The process ids of the source's first page.
async fn first_page(source: &Source) -> Vec<String> {
    let page = source
        .pages()
        .next()
        .await
        .expect("a page")
        .expect("no error");
    page.items
        .into_iter()
        .map(|item| item.process_id.expect("an id"))
        .collect()
}

/// Whether anything still listens at `url`'s port. A blocking connect, on purpose: it does not
/// yield to the (current-thread) runtime, so a server that was only told to stop, and not
/// waited for, still counts as listening.
fn listening(url: &url::Url) -> bool {
    let addr = url.socket_addrs(|| None).unwrap()[0];
    std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(5)).is_ok()
}

/// The demo's identity URL; panics when the data is not the demo's.
fn demo_url(guard: &DemoGuard) -> url::Url {
    guard.identity_url().expect("a demo server")
}

#[tokio::test]
async fn without_a_key_the_live_api_names_the_three_ways_to_give_one_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("config.toml");
    std::fs::write(&empty, "").unwrap();
    let empty = empty.to_str().unwrap();
    let out = tmp.path().join("out");
    for args in [
        vec!["--config", empty],
        vec!["--config", empty, "show", "IDP1"],
        vec!["--config", empty, "export", "--out", out.to_str().unwrap()],
    ] {
        let i = invocation(&args).unwrap();
        let Err(e) = i.command.run(i.globals, &no_env()).await else {
            panic!("{args:?} ran without a key");
        };
        assert!(
            matches!(e, CliError::Config(ConfigError::NoApiKey { .. })),
            "{e}"
        );
        assert_eq!(e.exit_code(), EXIT_USAGE);
        let message = e.to_string();
        for way in ["TRUORA_API_KEY", "api_key = ", "api_key_command", "--demo"] {
            assert!(message.contains(way), "{args:?}: {message}");
        }
        assert!(!out.exists(), "nothing written without a key");
    }

    // The same from `api_setup` when the config was loaded as if no key were needed.
    let config = config_in(tmp.path(), true);
    let Err(e) = api_setup(&config, None).await else {
        panic!("a live client without a key");
    };
    assert!(
        matches!(e, CliError::Config(ConfigError::NoApiKey { .. })),
        "{e}"
    );
}

#[tokio::test]
async fn the_demo_source_serves_the_demo_until_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let config = config_in(tmp.path(), true);
    let setup = source_setup(&config, demo(5), None).await.unwrap();
    assert_eq!(setup.source.label(), "demo");
    assert!(setup.warnings.is_empty());
    assert_eq!(first_page(&setup.source).await.len(), 5);
    let url = demo_url(&setup.demo);
    assert!(listening(&url));
    let SourceSetup { source, demo, .. } = setup;
    drop(source);
    demo.stop().await;
    assert!(!listening(&url), "the demo still listens at {url}");
}

#[tokio::test]
async fn an_ids_file_restricts_the_source_and_its_bad_lines_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let config = config_in(tmp.path(), true);
    let ids = {
        let setup = source_setup(&config, demo(5), None).await.unwrap();
        let ids = first_page(&setup.source).await;
        setup.demo.stop().await;
        ids
    };
    let file = tmp.path().join("ids.txt");
    std::fs::write(&file, format!("{}\nnot an id!\n{}\n", ids[3], ids[1])).unwrap();

    let setup = source_setup(&config, demo(5), Some(&file)).await.unwrap();
    assert_eq!(
        first_page(&setup.source).await,
        [ids[3].clone(), ids[1].clone()]
    );
    assert!(
        setup.source.label().starts_with("demo · 2 ids from "),
        "{}",
        setup.source.label()
    );
    assert_eq!(setup.warnings.len(), 1, "{:?}", setup.warnings);
    assert!(setup.warnings[0].contains("line 2"), "{:?}", setup.warnings);
    setup.demo.stop().await;
}

#[tokio::test]
async fn a_bad_ids_file_or_archive_is_a_usage_error_before_anything_starts() {
    let tmp = tempfile::tempdir().unwrap();
    // Live with no key: had the API been set up first, the error would be the missing key.
    let config = config_in(tmp.path(), true);
    let missing = tmp.path().join("no-such-ids.csv");
    let Err(e) = source_setup(&config, DataFrom::Live, Some(&missing)).await else {
        panic!("a missing ids file was accepted");
    };
    assert!(matches!(e, CliError::Ids(_)), "{e}");
    assert!(e.to_string().contains("cannot read the ids file"), "{e}");
    assert_eq!(e.exit_code(), EXIT_USAGE);

    let not_a_folder = DataFrom::Archive(tmp.path().join("no-such-archive"));
    let Err(e) = source_setup(&config, not_a_folder, None).await else {
        panic!("a missing archive was accepted");
    };
    assert!(e.to_string().contains("not a folder"), "{e}");
    assert_eq!(e.exit_code(), EXIT_USAGE);
}

/// Exports the demo's first `processes` processes (no images) into `out`; returns their ids.
async fn export_demo(config: &crate::config::Config, out: &Path, processes: usize) -> Vec<String> {
    let api = api_setup(
        config,
        Some(DemoOptions {
            processes,
            ..DemoOptions::default()
        }),
    )
    .await
    .unwrap();
    let mut opts = crate::export::ExportOptions::new(out);
    opts.images = false;
    let summary = crate::export::run(
        api.client.clone(),
        opts,
        crate::export::Silent,
        crate::export::Stop::never(),
    )
    .await
    .expect("the export runs");
    let ids = first_page(&Source::api(api.client, "demo")).await;
    api.demo.stop().await;
    assert_eq!(ids.len(), processes, "{summary:?}");
    ids
}

#[tokio::test]
async fn an_archive_is_read_offline_and_an_ids_file_narrows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let config = config_in(tmp.path(), true);
    let out = tmp.path().join("audit");
    let ids = export_demo(&config, &out, 4).await;

    let setup = source_setup(&config, DataFrom::Archive(out.clone()), None)
        .await
        .unwrap();
    assert!(
        setup.demo.identity_url().is_none(),
        "no server for an archive"
    );
    assert!(setup.source.label().starts_with("archive "));
    assert!(!setup.source.can_refresh());
    assert_eq!(first_page(&setup.source).await, ids);
    // `--no-images` is something the archive lacks, and says so.
    assert!(
        setup.warnings.iter().any(|w| w.contains("no-images")),
        "{:?}",
        setup.warnings
    );

    let file = tmp.path().join("one.txt");
    std::fs::write(&file, format!("{}\n", ids[2])).unwrap();
    let setup = source_setup(&config, DataFrom::Archive(out), Some(&file))
        .await
        .unwrap();
    assert_eq!(first_page(&setup.source).await, [ids[2].clone()]);
}

#[tokio::test]
async fn the_demo_server_is_stopped_when_the_browser_fails_to_start() {
    let tmp = tempfile::tempdir().unwrap();
    let config = config_in(tmp.path(), true);
    let setup = source_setup(&config, demo(3), None).await.unwrap();
    let url = demo_url(&setup.demo);
    let outcome = browse_then_stop(
        config.clone(),
        Vec::new(),
        setup,
        |_, _, source| async move {
            // The browser had a working source, then could not take the terminal.
            assert_eq!(first_page(&source).await.len(), 3);
            anyhow::bail!("the browser needs a terminal")
        },
    )
    .await;
    let Err(e) = outcome else {
        panic!("the failure was lost");
    };
    assert_eq!(e.exit_code(), EXIT_FAILURE);
    assert!(e.to_string().contains("needs a terminal"), "{e}");
    assert!(!listening(&url), "the demo still listens at {url}");

    // And when the browser ends normally.
    let setup = source_setup(&config, demo(3), None).await.unwrap();
    let url = demo_url(&setup.demo);
    let outcome = browse_then_stop(config, Vec::new(), setup, |_, _, _| async { Ok(()) }).await;
    assert_eq!(outcome.unwrap(), EXIT_OK);
    assert!(!listening(&url), "the demo still listens at {url}");
}
