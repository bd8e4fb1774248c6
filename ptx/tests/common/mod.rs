//! Shared test helpers.
#![allow(dead_code)]

use ptx::{parse, print, Module};

/// Parse, print, re-parse: the two parses must agree (locations aside) and printing the
/// re-parse must give the same text (the printer is a fixed point after one round).
pub fn roundtrip(name: &str, src: &str) -> Module {
    let m = parse(src).unwrap_or_else(|e| panic!("{name}: parse failed: {e}"));
    let printed = print(&m);
    let m2 = parse(&printed).unwrap_or_else(|e| panic!("{name}: re-parse of printed PTX failed: {e}\n--- printed ---\n{printed}"));
    assert_eq!(m.without_locs(), m2.without_locs(), "{name}: parse(print(parse(x))) != parse(x)\n--- printed ---\n{printed}");
    assert_eq!(print(&m2), printed, "{name}: printer not idempotent");
    m
}

/// All statements of a body, flattening nested blocks, in order.
pub fn flatten(stmts: &[ptx::Statement]) -> Vec<&ptx::Statement> {
    let mut out = Vec::new();
    for s in stmts {
        match s {
            ptx::Statement::Block(b) => {
                out.push(s);
                out.extend(flatten(b));
            }
            _ => out.push(s),
        }
    }
    out
}

pub fn instructions(m: &Module) -> Vec<&ptx::Instruction> {
    let mut out = Vec::new();
    for it in &m.items {
        if let ptx::ModuleItem::Function(f) = it {
            if let Some(b) = &f.body {
                for s in flatten(b) {
                    if let ptx::Statement::Instr(i) = s {
                        out.push(i);
                    }
                }
            }
        }
    }
    out
}
