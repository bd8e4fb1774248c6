//! `cargo run -p cuemu-ptx --example ptxfmt -- FILE.ptx [--debug]`: parse a PTX file and print it
//! back (or dump the IR with `--debug`); parse errors go to stderr with line:col and exit 1.
//! Handy to see exactly what the JIT will be handed.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: ptxfmt FILE.ptx [--debug]");
        std::process::exit(2);
    };
    let debug = args.any(|a| a == "--debug");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let text = String::from_utf8_lossy(&bytes);
    match ptx::parse(&text) {
        Ok(m) if debug => println!("{m:#?}"),
        Ok(m) => print!("{}", ptx::print(&m)),
        Err(e) => {
            eprintln!("{path}:{e}");
            std::process::exit(1);
        }
    }
}
