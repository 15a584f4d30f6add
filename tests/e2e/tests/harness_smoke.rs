use rightsdesk_e2e::{within, App, Options};

#[tokio::test(flavor = "multi_thread")]
async fn harness_smoke() {
    within(async {
        let app = App::start(Options::new().now("2025-02-10T10:00:00Z")).await;
        let body = app.wait_for("body").await;
        eprintln!("body: {:?}", body.text().await);
        eprintln!("{}", app.page_summary().await);
        app.screenshot("/tmp/smoke.png").await;
        app.close().await;
    })
    .await;
}
