//! How the window's WebKit renders on Linux.
//!
//! WebKitGTK composites pages with OpenGL by default. Where there is no GPU
//! driver (virtual machines, remote desktops, Xvfb) that GL is Mesa's software
//! rasteriser: on the 2-core bench machine the first painted list took seconds
//! longer and WebKit's web process held about 110 MB more (issue 8, measured by
//! `bench-app --env`). A register of forms and tables needs no GPU compositing,
//! so it is off unless the user says otherwise: setting
//! `WEBKIT_DISABLE_COMPOSITING_MODE` themselves (e.g. to `0`) keeps their choice.

/// Must run before any thread starts and before WebKit is initialised.
pub fn configure() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // Called first thing in `run`, on the main thread, before any other thread exists.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
