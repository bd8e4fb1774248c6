//! Broken PTX must be rejected with the line:column of the problem and a useful message.

use ptx::{parse, ParseError};

const HEADER: &str = ".version 9.5\n.target sm_90\n.address_size 64\n";

/// Parse `HEADER + body`, expect an error, return it (lines count from the start of HEADER).
fn err(body: &str) -> ParseError {
    match parse(&format!("{HEADER}{body}")) {
        Ok(m) => panic!("expected an error for {body:?}, parsed {m:?}"),
        Err(e) => e,
    }
}

#[track_caller]
fn check(body: &str, line: u32, col: u32, msg_part: &str) {
    let e = err(body);
    assert_eq!((e.line, e.col), (line, col), "{body:?}: {e}");
    assert!(e.message.contains(msg_part), "{body:?}: message {:?} lacks {msg_part:?}", e.message);
}

#[test]
fn missing_semicolon_reported_after_last_operand() {
    // Not at the start of the next line: right after `%r3`.
    check(".entry k()\n{\n\tadd.s32 %r1, %r2, %r3\n\tret;\n}\n", 6, 23, "`,` or `;` after the operand");
    check(".entry k()\n{\n\tbar.sync 0\n}\n", 6, 12, "found end of line");
}

#[test]
fn bad_operands() {
    check(".entry k()\n{\n\tadd.s32 %r1, , %r2;\n}\n", 6, 15, "expected an operand, found `,`");
    check(".entry k()\n{\n\tld.global.u32 %r1, [%rd1;\n}\n", 6, 26, "`]` to close the address");
    check(".entry k()\n{\n\tmov.f32 %f1, 0f3F80;\n}\n", 6, 15, "8 hex digits");
    check(".entry k()\n{\n\tmov.u32 %r1, 09;\n}\n", 6, 15, "invalid integer literal");
    check(".entry k()\n{\n\tmov.u32 %r1, 1.5e;\n}\n", 6, 15, "malformed exponent");
    check(".entry k()\n{\n\tmov.u32 %r1, 0x1FFFFFFFFFFFFFFFF;\n}\n", 6, 15, "does not fit in 64 bits");
    check(".entry k()\n{\n\tmov.u32 %r1, %;\n}\n", 6, 15, "register name");
    check(".entry k()\n{\n\tmov.b32 {%r1, %r2, %r3;\n}\n", 6, 24, "`,` or `}` in the vector");
    check(".entry k()\n{\n\tcall.uni f, (p0 p1);\n}\n", 6, 18, "`,` or `)` in the list");
    check(".entry k()\n{\n\tld.u32 %r1, [%rd1+];\n}\n", 6, 20, "integer offset");
}

#[test]
fn bad_instructions() {
    check(".entry k()\n{\n\tadd..s32 %r1, %r2, 1;\n}\n", 6, 6, "modifier");
    check(".entry k()\n{\n\t9add %r1;\n}\n", 6, 2, "");
    check(".entry k()\n{\n\tadd.s32#x %r1;\n}\n", 6, 9, "");
    check(".entry k()\n{\n\t@ %p1\n}\n", 7, 1, "instruction");
}

#[test]
fn structure_errors() {
    check(".entry k()\n{\n\tret;\n", 5, 1, "unclosed `{`");
    check(".foo bar;\n", 4, 1, "unknown directive `.foo`");
    check("garbage\n", 4, 1, "a directive, variable or function");
    check(".entry k()\n{\n\t/* never closed\n}\n", 6, 2, "unterminated `/*` comment");
    check(".entry k()\n{\n\t.reg %r<3>;\n}\n", 6, 2, "without a type");
    check(".entry k()\n{\n\t.bogus 1;\n}\n", 6, 2, "unknown directive `.bogus` in a function body");
    check(".visible .u32 x;\n", 4, 1, "without a state space");
    check(".global .u32 .u64 x;\n", 4, 14, "second type");
    check(".global .u32 x\n", 4, 15, "`;` after the declaration");
    check(".global .u32 x[3;\n", 4, 17, "`]`");
    check(".global .f32 x = {1.0, 2.0;\n", 4, 27, "`,` or `}` in the initializer list");
    check(".global .u32 x = generic(y;\n", 4, 27, "`)` after `generic(sym`");
    check(".entry k(.param .u32 a .param .u32 b)\n{\n}\n", 4, 24, "`,` or `)` in the parameter list");
    check(".entry k(.param .u32 a = 3)\n{\n}\n", 4, 24, "initializer is not allowed");
    check(".entry k() .maxntid 256\n.global .u32 y;\n", 5, 1, "missing `;` or body");
    check(".entry k()\n", 4, 11, "`{` or `;` after the function header");
    check(".pragma \"nounroll\"\n", 5, 1, "`;` to end the directive");
    check(".pragma \"unterminated;\n", 4, 9, "unterminated string");
    check(".section .debug_str { .b8 1\n", 5, 1, "`}`");
    check(".version 9.5\n", 4, 1, "duplicate `.version`");
    check(".entry k()\n{\n\t.section .x { }\n}\n", 6, 2, "unknown directive `.section` in a function body");
    check(".entry k()\n{\n\tL1: .callprototype _ (.param .b32 _)\n}\n", 6, 38, "`;` after the call prototype");
    check(".entry k()\n{\n\tT: .branchtargets a b;\n}\n", 6, 22, "`,` or `;` in the target list");
}

#[test]
fn missing_header_directives() {
    let e = parse(".target sm_90\n.global .u32 x;\n").unwrap_err();
    assert_eq!((e.line, e.col), (1, 1));
    assert!(e.message.contains("missing `.version`"));
    let e = parse(".version 9.5\n").unwrap_err();
    assert!(e.message.contains("missing `.target`"));
    let e = parse("").unwrap_err();
    assert_eq!((e.line, e.col), (1, 1));
    let e = parse("\0\0\0").unwrap_err();
    assert!(e.message.contains("missing `.version`"));
}

#[test]
fn columns_count_characters_not_bytes() {
    check(".entry k()\n{\n\t// é ü\n\tmov.u32 /* é */ %r1, ü;\n}\n", 7, 23, "expected an operand, found `ü`");
}

#[test]
fn nesting_limit() {
    let deep = format!(".entry k()\n{}{}\n", "{".repeat(500), "}".repeat(500));
    assert!(err(&deep).message.contains("nested too deeply"));
    let deep_init = format!(".global .u32 x[1] = {}1{};\n", "{".repeat(500), "}".repeat(500));
    assert!(err(&deep_init).message.contains("nested too deeply"));
    // Within the limit is fine.
    let ok = format!("{HEADER}.entry k()\n{}{}\n", "{".repeat(30), "}".repeat(30));
    parse(&ok).unwrap();
}

#[test]
fn display_has_position_message_and_caret_snippet() {
    let e = err(".entry k()\n{\n\tadd.s32 %r1, , %r2;\n}\n");
    let s = e.to_string();
    let mut lines = s.lines();
    assert_eq!(lines.next().unwrap(), "6:15: expected an operand, found `,`");
    assert_eq!(lines.next().unwrap(), "  | \tadd.s32 %r1, , %r2;");
    // The caret line copies tabs, so it lines up however tabs are rendered.
    assert_eq!(lines.next().unwrap(), "  | \t             ^");
    assert!(lines.next().is_none());
}

#[test]
fn long_lines_are_windowed() {
    let pad = "a".repeat(300);
    let e = err(&format!(".global .u32 {pad} x;\n"));
    assert_eq!((e.line, e.col), (4, 315), "{e}");
    let snippet_line = e.snippet.lines().next().unwrap();
    assert!(snippet_line.chars().count() < 140, "{snippet_line}");
    assert!(snippet_line.contains('…'));
    // The caret still sits under the offending `x`.
    let caret_line = e.snippet.lines().nth(1).unwrap();
    let caret_col = caret_line.chars().position(|c| c == '^').unwrap();
    assert_eq!(snippet_line.chars().nth(caret_col), Some('x'));
}
