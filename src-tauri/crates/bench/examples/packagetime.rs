//! The package benchmark alone (suite::package), for a profiler.
use rightsdesk_bench::dataset::default_today;
use rightsdesk_core::clock::FixedClock;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let clock = FixedClock::at(&default_today().to_string());
    let dir = std::env::temp_dir().join(format!("rightsdesk-packagetime-{}", std::process::id()));
    for f in rightsdesk_bench::suite::package::run(&dir, &clock)? {
        println!("{} {:?} {:?} {}", f.bench, f.value, f.unit, f.note);
    }
    Ok(())
}
