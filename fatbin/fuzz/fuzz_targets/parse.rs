//! Fuzz target: every reader entry point on arbitrary bytes must return, never panic
//! or read out of bounds (run under ASan by cargo-fuzz).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(fatbins) = fatbin::parse_all(data) {
        for entry in fatbins.iter().flat_map(|f| &f.entries) {
            let _ = entry.data();
            let _ = entry.ptx_text();
            let _ = entry.to_string();
        }
        let _ = fatbin::select_ptx(fatbins.iter().flat_map(|f| &f.entries), 75);
    }
    // The image decoder on a private copy: wrapper pointers must then point into the copy
    // (they never do by chance), so this exercises the checked reader on all four kinds.
    let copy = data.to_vec();
    if let Ok(image) = fatbin::image_from_bytes(&copy) {
        for f in image.fatbins() {
            let _ = f.to_string();
        }
    }
    let _ = fatbin::fatbins_in_file(data);
    if let Some(e) = fatbin::standalone_cubin("fuzz.cubin", data) {
        let _ = e.data();
        let _ = e.to_string();
    }
});
