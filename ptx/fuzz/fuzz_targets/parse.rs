//! Fuzz the PTX parser: it must never panic (nor overflow the stack), and whatever it accepts
//! must survive print → parse unchanged (locations aside), so the printer is fuzzed too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The driver hands the parser text that was loaded as bytes; it converts lossily first.
    let text = String::from_utf8_lossy(data);
    if let Ok(m) = ptx::parse(&text) {
        let printed = ptx::print(&m);
        let again = ptx::parse(&printed).unwrap_or_else(|e| panic!("printed module does not parse: {e}\n{printed}"));
        assert_eq!(m.without_locs(), again.without_locs(), "print/parse changed the module:\n{printed}");
    }
});
