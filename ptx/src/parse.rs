//! PTX text → [`Module`].
//!
//! # Why it is shaped like this
//!
//! - **Total over the ISA.** Instructions are parsed generically: an opcode, its dot-modifiers
//!   and a comma-separated operand list. Nothing here knows what `mma` or `cp.async` mean, so a
//!   PTX ISA newer than this parser still parses and only the JIT, which knows what it can run,
//!   rejects what it cannot (with the instruction's [`Loc`]).
//! - **Never panics.** The driver hands us whatever bytes an application loads, and the parser
//!   is fuzzed. All slicing happens right after ASCII bytes (always char boundaries), numbers
//!   are parsed with overflow checks, and recursion (nested blocks and initializer lists) is
//!   bounded by [`MAX_DEPTH`].
//! - **Errors point at the problem.** After the first token of a statement has decided what the
//!   statement is, every later failure is a nom `Failure` (a "cut"): no backtracking into
//!   alternatives that would report a less precise position. A missing `;` or `,` before a line
//!   break is reported right after the last token of the line that lacks it, not at the start
//!   of the next line.
//! - **No avoidable work.** Whitespace, comments, identifiers and numbers are scanned byte-wise
//!   (no regex, no per-character allocation); the only allocations are the `Vec`s the IR holds
//!   and names longer than [`Name::INLINE`] bytes: opcodes, modifiers, registers, labels and
//!   operand symbols are [`Name`]s, kept inline (a `String` each cost a malloc and a free, and
//!   with them malloc/free and fresh-page faults were over half of the parse time). A typical
//!   instruction now allocates twice (its modifier and operand lists) instead of 7–8 times.
//!   Line/column positions ([`Loc`]) come from a cursor that only moves forward (O(file) in
//!   total, scanned 16 bytes at a time). A block's statements are collected on one reused stack
//!   and moved out once, exactly sized, when the block closes. Operands that are a register
//!   followed by `,`/`;` (most of them) take a fast path. Measured: see
//!   benches/parse_throughput.rs and README.md "Performance".
//!
//! # Representation choices (what the JIT sees)
//!
//! - Special registers keep their full name: `%tid.x` → `Operand::Reg("%tid.x")` (likewise
//!   vector-register components `%v.x`).
//! - Bare identifiers in operand position are `Operand::Symbol` even when they name a register
//!   declared without `%` (`.reg .b32 r1;`); resolving that needs the symbol table, which the JIT
//!   has and the parser does not. Same for guards: `@p bra L;` → `Guard { reg: "p" }`.
//! - Guards: `@!%p1 bra $L__BB0_2;` → `Instruction { guard: Some(Guard { negated: true,
//!   reg: "%p1" }), opcode: "bra", modifiers: [], operands: [Symbol("$L__BB0_2")] }`.
//! - `call` is not special-cased: `call.uni (retval0), vprintf, (param0, param1);` has operands
//!   `[List([Symbol retval0]), Symbol vprintf, List([Symbol param0, Symbol param1])]`; without
//!   return values the first `List` is absent (`call.uni f, ();` → `[Symbol f, List([])]`); the
//!   indirect form `call (retval0), %rd5, (param0), prototype_0;` is
//!   `[List(..), Reg %rd5, List(..), Symbol prototype_0]`. Rule: a leading `List` is the
//!   returns, the next operand the callee, the next `List` the arguments, anything after that
//!   the prototype / call-targets name.
//! - Memory operands: `[%rd1+-4]` → `Address { base: Reg("%rd1"), offset: -4 }`; `[x]` and
//!   `[x+0]` are the same value. `[a, {b, c}]` (tex/suld/sust/TMA) → `BracketList`.
//! - Labels are `Statement::Label` in the statement list where they appear (not attached to the
//!   next instruction); `{ … }` scopes (nvcc's call sequences) are nested `Statement::Block`s.
//! - Raw directives (`.loc`, `.file`, `.pragma`, `.section … { … }`) are kept as text with
//!   comments removed and without the terminating `;`.
//! - A `.pragma` between a function's header and its body becomes the first statement of the
//!   body (the IR has no other place for it; entry-scope pragmas apply to the whole body anyway).
//! - `.reg .b32 a, b;` (several names in one declaration) becomes one declaration per name.
//! - Kernel-parameter `.ptr` attributes go to `VarDecl::attrs` as `[".ptr", ".global",
//!   ".align 4"]` (that `.align` is *not* `VarDecl::align`); `.attribute(.managed)` also goes to
//!   `attrs`, ahead of any `.ptr` entries.

use std::cell::Cell;
use std::fmt;

use nom::branch::alt;
use nom::bytes::complete::take_while1;
use nom::character::complete::char;
use nom::combinator::map;
use nom::error::ErrorKind;
use nom::sequence::separated_pair;
use nom::IResult;

use crate::ir::*;

/// How deep `{ … }` blocks and initializer lists may nest before the input is rejected
/// (protects the stack against adversarial input; nvcc nests call blocks two deep).
pub const MAX_DEPTH: usize = 64;

/// A syntax error with its 1-based position (column in characters) and the offending line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: u32,
    pub col: u32,
    pub message: String,
    /// The offending source line (possibly shortened around the column) and a caret line under
    /// it; empty when the position is past the end of the text.
    pub snippet: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)?;
        if !self.snippet.is_empty() {
            write!(f, "\n{}", self.snippet)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// Parse a PTX module.
///
/// Accepts a leading byte-order mark and trailing NUL bytes (PTX extracted from fatbinaries is
/// NUL-padded). `.version` and `.target` are required, as they are for ptxas.
pub fn parse(text: &str) -> Result<Module, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = text.trim_end_matches('\0');
    let p = Parser::new(text);
    match p.module(body) {
        Ok((_, m)) => Ok(m),
        Err(nom::Err::Error(e)) | Err(nom::Err::Failure(e)) => Err(p.error(e.at, &e.msg)),
        Err(nom::Err::Incomplete(_)) => Err(p.error(&text[text.len()..], &Msg::Text("unexpected end of input".into()))),
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

#[derive(Debug)]
enum Msg {
    /// "expected X, found Y": Y is the token at the error position.
    Expected(&'static str),
    Text(String),
    Nom(ErrorKind),
}

/// The nom error type: where (the remaining input) and what.
#[derive(Debug)]
pub(crate) struct PErr<'s> {
    at: &'s str,
    msg: Msg,
}

impl<'s> nom::error::ParseError<&'s str> for PErr<'s> {
    fn from_error_kind(at: &'s str, kind: ErrorKind) -> Self {
        PErr { at, msg: Msg::Nom(kind) }
    }
    fn append(_: &'s str, _: ErrorKind, other: Self) -> Self {
        other
    }
    fn or(self, other: Self) -> Self {
        // Report the alternative that got further (less input left).
        if other.at.len() < self.at.len() {
            other
        } else {
            self
        }
    }
}

type PResult<'s, T> = IResult<&'s str, T, PErr<'s>>;

fn fail<'s, T>(at: &'s str, what: &'static str) -> PResult<'s, T> {
    Err(nom::Err::Failure(PErr { at, msg: Msg::Expected(what) }))
}

fn fail_text<'s, T>(at: &'s str, text: String) -> PResult<'s, T> {
    Err(nom::Err::Failure(PErr { at, msg: Msg::Text(text) }))
}

/// Turn a recoverable nom error into a failure with a message (for `cut`-style use of
/// combinators that produce `Error`).
fn commit<'s, T>(r: PResult<'s, T>, what: &'static str) -> PResult<'s, T> {
    match r {
        Err(nom::Err::Error(e)) => fail(e.at, what),
        other => other,
    }
}

/// The token at `at`, for "found …" in messages.
fn describe_token(at: &str) -> String {
    let Some(c) = at.chars().next() else {
        return "end of input".to_string();
    };
    if c == '\n' || c == '\r' {
        return "end of line".to_string();
    }
    if !(c.is_alphanumeric() || matches!(c, '%' | '$' | '_' | '.')) {
        return format!("`{c}`");
    }
    let tok: String = at
        .chars()
        .take_while(|&c| c.is_alphanumeric() || matches!(c, '%' | '$' | '_' | '.' | ':'))
        .take(32)
        .collect();
    format!("`{tok}`")
}

// ---------------------------------------------------------------------------------------------
// Lexical helpers (byte-wise; every index they produce is right after an ASCII byte)

#[inline]
fn is_follow(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

#[inline]
fn first_byte(i: &str) -> Option<u8> {
    i.as_bytes().first().copied()
}

/// Skip whitespace and comments. Fails only on an unterminated `/*`.
fn ws(i: &str) -> PResult<'_, ()> {
    let b = i.as_bytes();
    let mut p = 0;
    while p < b.len() {
        match b[p] {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => p += 1,
            b'/' if b.get(p + 1) == Some(&b'/') => {
                p += 2;
                while p < b.len() && b[p] != b'\n' {
                    p += 1;
                }
            }
            b'/' if b.get(p + 1) == Some(&b'*') => match find(&b[p + 2..], b"*/") {
                Some(k) => p += 2 + k + 2,
                None => return fail_text(&i[p..], "unterminated `/*` comment".into()),
            },
            _ => break,
        }
    }
    Ok((&i[p..], ()))
}

/// `ws` returning only the rest (the common use). Inlined fast path: most calls land on a
/// token, not on whitespace.
#[inline]
fn sk(i: &str) -> Result<&str, nom::Err<PErr<'_>>> {
    match i.as_bytes().first() {
        Some(&c) if c > b' ' && c != b'/' => Ok(i),
        None => Ok(i),
        _ => ws(i).map(|(r, ())| r),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Identifier: `[A-Za-z_$%][A-Za-z0-9_$]*` (PTX requires a follower after `_`, `$`, `%`; a lone
/// `_` is accepted here because `.callprototype` parameters are named `_`).
fn ident(i: &str) -> PResult<'_, &str> {
    let b = i.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_alphabetic() || matches!(c, b'_' | b'$' | b'%') => {
            let mut p = 1;
            while p < b.len() && is_follow(b[p]) {
                p += 1;
            }
            Ok((&i[p..], &i[..p]))
        }
        _ => Err(nom::Err::Error(PErr { at: i, msg: Msg::Expected("an identifier") })),
    }
}

/// A register name in operand position: `%r1`, `%tid.x`, `%SP`; the `.x` component suffix is
/// part of the name.
fn reg(i: &str) -> PResult<'_, &str> {
    let b = i.as_bytes();
    if b.first() != Some(&b'%') || !b.get(1).is_some_and(|&c| is_follow(c)) {
        return Err(nom::Err::Error(PErr { at: i, msg: Msg::Expected("a register") }));
    }
    let mut p = 2;
    while p < b.len() && is_follow(b[p]) {
        p += 1;
    }
    if b.get(p) == Some(&b'.') && b.get(p + 1).is_some_and(|&c| c.is_ascii_alphabetic()) {
        p += 2;
        while p < b.len() && is_follow(b[p]) {
            p += 1;
        }
    }
    Ok((&i[p..], &i[..p]))
}

/// `.word` → (`word`, rest). Words are `[A-Za-z0-9_$]+`.
fn dot_word(i: &str) -> Option<(&str, &str)> {
    let b = i.as_bytes();
    if b.first() != Some(&b'.') {
        return None;
    }
    let mut p = 1;
    while p < b.len() && is_follow(b[p]) {
        p += 1;
    }
    if p == 1 {
        return None;
    }
    Some((&i[1..p], &i[p..]))
}

/// An instruction modifier after its dot: `u32`, `shared::cta`, `L2::cache_hint`, `2d`.
fn modifier(i: &str) -> PResult<'_, &str> {
    let b = i.as_bytes();
    let mut p = 0;
    loop {
        let s = p;
        while p < b.len() && is_follow(b[p]) {
            p += 1;
        }
        if p == s {
            return fail(&i[s..], "a modifier");
        }
        if b.get(p) == Some(&b':') && b.get(p + 1) == Some(&b':') {
            p += 2;
        } else {
            break;
        }
    }
    Ok((&i[p..], &i[..p]))
}

/// An unsigned integer literal in any PTX notation (hex `0x`, binary `0b`, octal `0…`,
/// decimal), with optional `U` suffix. Returns its 64-bit pattern.
fn uint(i: &str) -> PResult<'_, u64> {
    let b = i.as_bytes();
    if !b.first().is_some_and(|c| c.is_ascii_digit()) {
        return Err(nom::Err::Error(PErr { at: i, msg: Msg::Expected("an integer") }));
    }
    let (radix, start) = match (b[0], b.get(1)) {
        (b'0', Some(b'x' | b'X')) => (16, 2),
        (b'0', Some(b'b' | b'B')) => (2, 2),
        (b'0', Some(c)) if c.is_ascii_digit() => (8, 1),
        _ => (10, 0),
    };
    let mut p = start;
    while p < b.len() && b[p].is_ascii_alphanumeric() {
        p += 1;
    }
    let mut digits = &i[start..p];
    if digits.ends_with(['U', 'u']) {
        digits = &digits[..digits.len() - 1];
    }
    if digits.is_empty() {
        return fail(i, "digits in the integer literal");
    }
    match u64::from_str_radix(digits, radix) {
        Ok(v) => Ok((&i[p..], v)),
        Err(e) => {
            let why = if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) {
                "integer literal does not fit in 64 bits"
            } else {
                "invalid integer literal"
            };
            fail_text(i, format!("{why}: `{}`", &i[..p]))
        }
    }
}

/// An unsigned integer that must fit in `u32` (alignments, counts, versions).
fn uint32(i: &str) -> PResult<'_, u32> {
    let (r, v) = commit(uint(i), "an integer")?;
    match u32::try_from(v) {
        Ok(v) => Ok((r, v)),
        Err(_) => fail_text(i, format!("{v} does not fit in 32 bits")),
    }
}

/// A numeric constant: integers (optionally negated), `0f`/`0d` float bit patterns, decimal
/// floating literals.
fn number(i: &str) -> PResult<'_, Constant> {
    let (body, neg) = match i.strip_prefix('-') {
        Some(r) => (r, true),
        None => (i, false),
    };
    let b = body.as_bytes();
    if !b.first().is_some_and(|c| c.is_ascii_digit()) {
        return fail(i, "a number");
    }
    // 0fXXXXXXXX / 0dXXXXXXXXXXXXXXXX
    if b[0] == b'0' && matches!(b.get(1), Some(b'f' | b'F' | b'd' | b'D')) {
        let is_f32 = matches!(b[1], b'f' | b'F');
        let mut p = 2;
        while p < b.len() && is_follow(b[p]) {
            p += 1;
        }
        let hex = &body[2..p];
        let want = if is_f32 { 8 } else { 16 };
        if hex.len() != want || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return fail_text(
                i,
                format!("`{}` is not a valid {} literal ({want} hex digits expected)", &body[..p], if is_f32 { "0f" } else { "0d" }),
            );
        }
        let rest = &body[p..];
        return Ok(if is_f32 {
            let v = u32::from_str_radix(hex, 16).unwrap_or(0);
            (rest, Constant::F32Bits(if neg { v ^ 0x8000_0000 } else { v }))
        } else {
            let v = u64::from_str_radix(hex, 16).unwrap_or(0);
            (rest, Constant::F64Bits(if neg { v ^ (1 << 63) } else { v }))
        });
    }
    // Decimal floating literal: digits followed by `.` or an exponent.
    let mut p = 0;
    while p < b.len() && b[p].is_ascii_digit() {
        p += 1;
    }
    let is_hex_or_bin = b[0] == b'0' && matches!(b.get(1), Some(b'x' | b'X' | b'b' | b'B'));
    if !is_hex_or_bin && matches!(b.get(p), Some(b'.' | b'e' | b'E')) {
        let mut q = p;
        if b.get(q) == Some(&b'.') {
            q += 1;
            while q < b.len() && b[q].is_ascii_digit() {
                q += 1;
            }
        }
        if matches!(b.get(q), Some(b'e' | b'E')) {
            let mut e = q + 1;
            if matches!(b.get(e), Some(b'+' | b'-')) {
                e += 1;
            }
            let ds = e;
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
            if e == ds {
                return fail_text(i, format!("malformed exponent in `{}`", &body[..e]));
            }
            q = e;
        }
        if b.get(q).is_some_and(|&c| is_follow(c)) {
            return fail_text(i, "malformed floating-point literal".into());
        }
        let v: f64 = match body[..q].parse() {
            Ok(v) => v,
            Err(_) => return fail_text(i, format!("malformed floating-point literal `{}`", &body[..q])),
        };
        return Ok((&body[q..], Constant::Float(if neg { -v } else { v })));
    }
    let (rest, v) = uint(body)?;
    if rest.as_bytes().first().is_some_and(|&c| is_follow(c)) {
        return fail(rest, "the end of the number");
    }
    Ok((rest, Constant::Int(if neg { (v as i64).wrapping_neg() } else { v as i64 })))
}

/// `+N`, `-N` or `+-N` after a symbol or base register (whitespace allowed around the sign).
fn offset(i: &str) -> PResult<'_, Option<i64>> {
    let r = sk(i)?;
    let (r, neg) = match first_byte(r) {
        Some(b'+') => {
            let r = sk(&r[1..])?;
            match r.strip_prefix('-') {
                Some(r) => (r, true),
                None => (r, false),
            }
        }
        Some(b'-') => (&r[1..], true),
        _ => return Ok((i, None)),
    };
    let r = sk(r)?;
    let (r, v) = commit(uint(r), "an integer offset")?;
    Ok((r, Some(if neg { (v as i64).wrapping_neg() } else { v as i64 })))
}

fn linkage_of(w: &str) -> Option<Linkage> {
    Some(match w {
        "extern" => Linkage::Extern,
        "visible" => Linkage::Visible,
        "weak" => Linkage::Weak,
        "common" => Linkage::Common,
        _ => return None,
    })
}

fn space_of(w: &str) -> Option<StateSpace> {
    Some(match w {
        "reg" => StateSpace::Reg,
        "sreg" => StateSpace::Sreg,
        "const" => StateSpace::Const,
        "global" => StateSpace::Global,
        "local" => StateSpace::Local,
        "param" => StateSpace::Param,
        "shared" => StateSpace::Shared,
        "tex" => StateSpace::Tex,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Raw directives

#[derive(Clone, Copy, PartialEq)]
enum RawEnd {
    /// Ends at the end of the line (or a `;`, which is consumed): `.loc`, `.file`.
    Line,
    /// Ends at `;`: `.pragma`, `.alias`.
    Semicolon,
    /// Ends after the `}` matching the first `{`: `.section name { … }`.
    Block,
}

/// Scan a directive kept as text. Comments are replaced by a space; strings are respected.
fn raw_directive(i: &str, end: RawEnd) -> PResult<'_, String> {
    let b = i.as_bytes();
    let mut out = String::new();
    let mut seg = 0; // start of the verbatim segment not yet copied to `out`
    let mut p = 0;
    let mut depth = 0usize;
    let rest;
    loop {
        let Some(&c) = b.get(p) else {
            match end {
                RawEnd::Line => {
                    rest = p;
                    break;
                }
                RawEnd::Semicolon => return fail(&i[p..], "`;` to end the directive"),
                RawEnd::Block => return fail(&i[p..], "`}` to close the directive's block"),
            }
        };
        match c {
            b'"' => {
                let mut q = p + 1;
                loop {
                    match b.get(q) {
                        Some(b'\\') => q += 2,
                        Some(b'"') => break,
                        Some(b'\n') | None => return fail_text(&i[p..], "unterminated string".into()),
                        Some(_) => q += 1,
                    }
                }
                p = q + 1;
            }
            b'/' if b.get(p + 1) == Some(&b'/') => {
                if end == RawEnd::Line {
                    rest = p;
                    break;
                }
                out.push_str(&i[seg..p]);
                out.push(' ');
                while p < b.len() && b[p] != b'\n' {
                    p += 1;
                }
                seg = p;
            }
            b'/' if b.get(p + 1) == Some(&b'*') => {
                out.push_str(&i[seg..p]);
                out.push(' ');
                match find(&b[p + 2..], b"*/") {
                    Some(k) => p += 2 + k + 2,
                    None => return fail_text(&i[p..], "unterminated `/*` comment".into()),
                }
                seg = p;
            }
            b'\n' if end == RawEnd::Line => {
                rest = p;
                break;
            }
            b';' if end != RawEnd::Block => {
                out.push_str(&i[seg..p]);
                let t = out.trim_end().len();
                out.truncate(t);
                return Ok((&i[p + 1..], out));
            }
            b'{' if end == RawEnd::Block => {
                depth += 1;
                p += 1;
            }
            b'}' if end == RawEnd::Block => {
                if depth == 0 {
                    return fail_text(&i[p..], "unbalanced `}` in directive".into());
                }
                depth -= 1;
                p += 1;
                if depth == 0 {
                    out.push_str(&i[seg..p]);
                    return Ok((&i[p..], out));
                }
            }
            _ => p += 1,
        }
    }
    out.push_str(&i[seg..rest]);
    let t = out.trim_end().len();
    out.truncate(t);
    Ok((&i[rest..], out))
}

/// `.section name { … }` is a block; a `.section` without `{` is a one-line directive.
fn section_directive(i: &str) -> PResult<'_, String> {
    let after = match dot_word(i) {
        Some((_, r)) => r,
        None => i,
    };
    let r = sk(after)?;
    let r = match r.as_bytes().first() {
        Some(b'.') => dot_word(r).map(|(_, r)| r).unwrap_or(r),
        _ => ident(r).map(|(r, _)| r).unwrap_or(r),
    };
    let r = sk(r)?;
    if r.starts_with('{') {
        raw_directive(i, RawEnd::Block)
    } else {
        raw_directive(i, RawEnd::Line)
    }
}

// ---------------------------------------------------------------------------------------------
// The parser proper

/// Forward-only line cursor for cheap [`Loc`]s.
#[derive(Clone, Copy)]
struct LineCursor {
    offset: usize,
    line: u32,
    line_start: usize,
}

struct Parser<'s> {
    /// The whole original text: every input slice handed around is a subslice of it.
    src: &'s str,
    cursor: Cell<LineCursor>,
    /// Statements of the blocks being parsed, innermost last. A block's statements are pushed
    /// here and moved out into an exactly sized `Vec` when it closes: no grow-by-doubling
    /// copies of the (large) statements, and one buffer reused for all functions.
    stack: Cell<Vec<Statement>>,
}

/// Collected header directives of a function.
struct Header {
    directives: Vec<FunctionDirective>,
    pre_body: Vec<Statement>,
}

/// The dot-words before a declared name.
struct DeclPrefix {
    linkage: Linkage,
    space: Option<StateSpace>,
    align: Option<u32>,
    vector: Option<u8>,
    ty: Option<Type>,
    attrs: Vec<String>,
}

impl<'s> Parser<'s> {
    fn new(src: &'s str) -> Self {
        Parser { src, cursor: Cell::new(LineCursor { offset: 0, line: 1, line_start: 0 }), stack: Cell::new(Vec::new()) }
    }

    fn offset_of(&self, at: &str) -> usize {
        let o = (at.as_ptr() as usize).wrapping_sub(self.src.as_ptr() as usize);
        if o <= self.src.len() && self.src.is_char_boundary(o) {
            o
        } else {
            self.src.len()
        }
    }

    fn loc(&self, at: &str) -> Loc {
        let off = self.offset_of(at);
        let mut c = self.cursor.get();
        if off < c.offset {
            // Rare (a position looked up after a later one): step the cursor back.
            let back = self.src.as_bytes()[off..c.offset].iter().filter(|&&b| b == b'\n').count();
            c.line = c.line.saturating_sub(u32::try_from(back).unwrap_or(u32::MAX)).max(1);
            c.line_start = self.src[..off].rfind('\n').map(|k| k + 1).unwrap_or(0);
            c.offset = off;
        }
        // One forward pass over the bytes since the last position (usually the rest of a line
        // and the next one's indentation), 16 bytes at a time as a bit mask of newlines (this
        // compiles to a vector compare; it runs once per instruction).
        let bytes = &self.src.as_bytes()[c.offset..off];
        let (mut n, mut last) = (0u32, None);
        let mut chunks = bytes.chunks_exact(16);
        let mut base = 0;
        for ch in &mut chunks {
            let mut mask = 0u32;
            for (k, &b) in ch.iter().enumerate() {
                mask |= u32::from(b == b'\n') << k;
            }
            if mask != 0 {
                n += mask.count_ones();
                last = Some(base + 31 - mask.leading_zeros() as usize);
            }
            base += 16;
        }
        for (k, &b) in chunks.remainder().iter().enumerate() {
            if b == b'\n' {
                n += 1;
                last = Some(base + k);
            }
        }
        if let Some(last) = last {
            c.line = c.line.saturating_add(n);
            c.line_start = c.offset + last + 1;
        }
        c.offset = off;
        self.cursor.set(c);
        let prefix = &self.src[c.line_start..off];
        let col = if prefix.is_ascii() { prefix.len() } else { prefix.chars().count() };
        Loc { line: c.line, col: u32::try_from(col + 1).unwrap_or(u32::MAX) }
    }

    /// Fail at `at` (just after whitespace) — unless a line break precedes it, in which case the
    /// problem is reported at the end of the previous token: a missing `;` or `,` belongs to the
    /// line that lacks it, not to the next statement.
    fn fail_sep<T>(&self, at: &'s str, what: &'static str) -> PResult<'s, T> {
        let off = self.offset_of(at);
        let before = &self.src[..off];
        let trimmed = before.trim_end();
        if !trimmed.is_empty() && before[trimmed.len()..].contains('\n') {
            fail(&self.src[trimmed.len()..], what)
        } else {
            fail(at, what)
        }
    }

    fn error(&self, at: &str, msg: &Msg) -> ParseError {
        let off = self.offset_of(at);
        let loc = self.loc(&self.src[off..]);
        let message = match msg {
            Msg::Expected(what) => format!("expected {what}, found {}", describe_token(&self.src[off..])),
            Msg::Text(t) => t.clone(),
            Msg::Nom(kind) => format!("syntax error ({kind:?}) at {}", describe_token(&self.src[off..])),
        };
        // The offending line, shortened to a window around the column, with a caret under it
        // (tabs are copied into the caret line so the caret lines up however tabs render).
        let line_start = self.src[..off].rfind('\n').map(|k| k + 1).unwrap_or(0);
        let line_end = self.src[off..].find('\n').map(|k| off + k).unwrap_or(self.src.len());
        let line = self.src[line_start..line_end].trim_end_matches('\r');
        let col0 = loc.col.saturating_sub(1) as usize;
        let skip = col0.saturating_sub(60);
        let ellipsis = if skip > 0 { "…" } else { "" };
        let shown: String = line.chars().skip(skip).take(120).map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect();
        let snippet = if shown.trim().is_empty() {
            String::new()
        } else {
            let pad: String = ellipsis
                .chars()
                .map(|_| ' ')
                .chain(line.chars().skip(skip).take(col0 - skip).map(|c| if c == '\t' { '\t' } else { ' ' }))
                .collect();
            format!("  | {ellipsis}{shown}\n  | {pad}^")
        };
        ParseError { line: loc.line, col: loc.col, message, snippet }
    }

    // --- module ---

    fn module(&self, i: &'s str) -> PResult<'s, Module> {
        let mut version = None;
        let mut target: Option<Vec<String>> = None;
        let mut address_size = None;
        let mut items = Vec::new();
        let start = i;
        let mut i = sk(i)?;
        while !i.is_empty() {
            let Some((word, after)) = dot_word(i) else {
                return fail(i, "a directive, variable or function at module scope");
            };
            match word {
                "version" => {
                    if version.is_some() {
                        return fail_text(i, "duplicate `.version` directive".into());
                    }
                    let r = sk(after)?;
                    let (r, v) = commit(separated_pair(uint32, char('.'), uint32)(r), "a version `MAJOR.MINOR`")?;
                    version = Some(v);
                    i = r;
                }
                "target" => {
                    if target.is_some() {
                        return fail_text(i, "duplicate `.target` directive".into());
                    }
                    let (r, t) = self.target_list(after)?;
                    target = Some(t);
                    i = r;
                }
                "address_size" => {
                    if address_size.is_some() {
                        return fail_text(i, "duplicate `.address_size` directive".into());
                    }
                    let r = sk(after)?;
                    let (r, v) = uint32(r)?;
                    address_size = Some(v);
                    i = r;
                }
                "file" | "loc" => {
                    let (r, d) = raw_directive(i, RawEnd::Line)?;
                    items.push(ModuleItem::Directive(d));
                    i = r;
                }
                "section" => {
                    let (r, d) = section_directive(i)?;
                    items.push(ModuleItem::Directive(d));
                    i = r;
                }
                "pragma" | "alias" => {
                    let (r, d) = raw_directive(i, RawEnd::Semicolon)?;
                    items.push(ModuleItem::Directive(d));
                    i = r;
                }
                w if linkage_of(w).is_some()
                    || space_of(w).is_some()
                    || matches!(w, "entry" | "func" | "align" | "attribute")
                    || Type::from_name(w).is_some()
                    || matches!(w, "v2" | "v4" | "v8") =>
                {
                    i = self.module_entity(i, &mut items)?.0;
                }
                w => return fail_text(i, format!("unknown directive `.{w}` at module scope")),
            }
            i = sk(i)?;
        }
        let Some(version) = version else {
            return fail_text(sk(start)?, "missing `.version` directive".into());
        };
        let Some(target) = target else {
            return fail_text(sk(start)?, "missing `.target` directive".into());
        };
        Ok((i, Module { version, target, address_size: address_size.unwrap_or(64), items }))
    }

    fn target_list(&self, i: &'s str) -> PResult<'s, Vec<String>> {
        let mut out = Vec::new();
        let mut r = sk(i)?;
        loop {
            let (r2, t) = commit(take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_')(r), "a target name")?;
            out.push(t.to_string());
            let r3 = sk(r2)?;
            match r3.strip_prefix(',') {
                Some(r4) => r = sk(r4)?,
                None => return Ok((r2, out)),
            }
        }
    }

    /// A module-scope variable or function, starting at its first dot-word.
    fn module_entity(&self, start: &'s str, items: &mut Vec<ModuleItem>) -> PResult<'s, ()> {
        let mut linkage = Linkage::None;
        let mut r = start;
        while let Some((w, after)) = dot_word(r) {
            match linkage_of(w) {
                Some(l) => {
                    linkage = l;
                    r = sk(after)?;
                }
                None => break,
            }
        }
        if let Some(("entry" | "func", _)) = dot_word(r) {
            let (r, f) = self.function(start, r, linkage)?;
            items.push(ModuleItem::Function(f));
            return Ok((r, ()));
        }
        let (r, decls) = self.decl_statement(start, r, linkage)?;
        items.extend(decls.into_iter().map(ModuleItem::Var));
        Ok((r, ()))
    }

    // --- declarations ---

    fn decl_prefix(&self, i: &'s str, linkage: Linkage) -> PResult<'s, DeclPrefix> {
        let mut d = DeclPrefix { linkage, space: None, align: None, vector: None, ty: None, attrs: Vec::new() };
        let mut in_ptr = false;
        let mut r = i;
        while let Some((w, after)) = dot_word(r) {
            if let Some(l) = linkage_of(w) {
                d.linkage = l;
                r = sk(after)?;
            } else if let Some(s) = space_of(w) {
                if in_ptr {
                    d.attrs.push(format!(".{w}"));
                } else if d.space.is_some() {
                    return fail_text(r, format!("second state space `.{w}` in declaration"));
                } else {
                    d.space = Some(s);
                }
                r = sk(after)?;
            } else if w == "align" {
                let a = sk(after)?;
                let (a, n) = uint32(a)?;
                if in_ptr {
                    d.attrs.push(format!(".align {n}"));
                } else {
                    d.align = Some(n);
                }
                r = sk(a)?;
            } else if let Some(n) = w.strip_prefix('v').and_then(|n| n.parse::<u8>().ok()).filter(|n| matches!(n, 2 | 4 | 8)) {
                d.vector = Some(n);
                r = sk(after)?;
            } else if let Some(t) = Type::from_name(w) {
                if d.ty.is_some() {
                    return fail_text(r, format!("second type `.{w}` in declaration"));
                }
                d.ty = Some(t);
                r = sk(after)?;
            } else if w == "ptr" {
                in_ptr = true;
                d.attrs.push(".ptr".to_string());
                r = sk(after)?;
            } else if w == "attribute" {
                let (a, text) = self.attribute(after)?;
                // `.attribute(…)` entries are kept ahead of `.ptr` ones (the printer writes them
                // before the type, `.ptr` after), so the order is canonical.
                let pos = d.attrs.iter().position(|a| !a.starts_with(".attribute")).unwrap_or(d.attrs.len());
                d.attrs.insert(pos, text);
                r = sk(a)?;
            } else {
                return fail_text(r, format!("unexpected `.{w}` in declaration"));
            }
        }
        Ok((r, d))
    }

    /// `.attribute( … )` after the word: balanced parentheses, whitespace dropped.
    fn attribute(&self, i: &'s str) -> PResult<'s, String> {
        let r = sk(i)?;
        if !r.starts_with('(') {
            return fail(r, "`(` after `.attribute`");
        }
        let mut out = String::from(".attribute");
        let mut depth = 0usize;
        for (k, c) in r.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ';' | '{' | '}' => return fail(&r[k..], "`)` to close `.attribute(`"),
                _ => {}
            }
            if !c.is_whitespace() {
                out.push(c);
            }
            if depth == 0 {
                return Ok((&r[k + 1..], out));
            }
        }
        fail(&r[r.len()..], "`)` to close `.attribute(`")
    }

    /// One declared name with its range, dimensions and (if `init`) initializer.
    fn declarator(&self, start: &'s str, i: &'s str, p: &DeclPrefix, init_ok: bool) -> PResult<'s, VarDecl> {
        let (mut r, name) = commit(ident(i), "a name in the declaration")?;
        let mut range = None;
        let mut dims = Vec::new();
        let mut init = None;
        let r1 = sk(r)?;
        if let Some(a) = r1.strip_prefix('<') {
            let a = sk(a)?;
            let (a, n) = uint32(a)?;
            let a = sk(a)?;
            let Some(a) = a.strip_prefix('>') else { return self.fail_sep(a, "`>` after the register count") };
            range = Some(n);
            r = a;
        }
        loop {
            let r1 = sk(r)?;
            let Some(a) = r1.strip_prefix('[') else { break };
            let a = sk(a)?;
            let (a, d) = if a.starts_with(']') { (a, None) } else { commit(map(uint, Some)(a), "an array dimension or `]`")? };
            let a = sk(a)?;
            let Some(a) = a.strip_prefix(']') else { return self.fail_sep(a, "`]` after the array dimension") };
            dims.push(d);
            r = a;
        }
        let r1 = sk(r)?;
        if let Some(a) = r1.strip_prefix('=') {
            if !init_ok {
                return fail_text(r1, "an initializer is not allowed here".into());
            }
            let a = sk(a)?;
            let (a, v) = self.init(a, 0)?;
            init = Some(v);
            r = a;
        }
        let Some(ty) = p.ty else {
            return fail_text(start, "declaration without a type".into());
        };
        let Some(space) = p.space else {
            return fail_text(start, "declaration without a state space (`.reg`, `.global`, `.param`, …)".into());
        };
        Ok((
            r,
            VarDecl {
                linkage: p.linkage,
                space,
                align: p.align,
                vector: p.vector,
                ty,
                attrs: p.attrs.clone(),
                name: name.to_string(),
                range,
                dims,
                init,
                loc: self.loc(start),
            },
        ))
    }

    /// A declaration statement `… name[, name…];` (module or body scope).
    fn decl_statement(&self, start: &'s str, i: &'s str, linkage: Linkage) -> PResult<'s, Vec<VarDecl>> {
        let (r, p) = self.decl_prefix(i, linkage)?;
        let mut out = Vec::new();
        let mut r = r;
        loop {
            let (r2, d) = self.declarator(start, r, &p, true)?;
            out.push(d);
            let r3 = sk(r2)?;
            if let Some(a) = r3.strip_prefix(',') {
                r = sk(a)?;
            } else if let Some(a) = r3.strip_prefix(';') {
                return Ok((a, out));
            } else {
                return self.fail_sep(r3, "`;` after the declaration");
            }
        }
    }

    /// `( .param … a, .param … b )`: one name per parameter, no initializers.
    fn param_list(&self, i: &'s str) -> PResult<'s, Vec<VarDecl>> {
        let mut r = sk(&i[1..])?;
        let mut out = Vec::new();
        if let Some(a) = r.strip_prefix(')') {
            return Ok((a, out));
        }
        loop {
            if !r.starts_with('.') {
                return fail(r, "a parameter declaration (`.param …` or `.reg …`)");
            }
            let (a, p) = self.decl_prefix(r, Linkage::None)?;
            let (a, d) = self.declarator(r, a, &p, false)?;
            out.push(d);
            let a = sk(a)?;
            if let Some(b) = a.strip_prefix(',') {
                r = sk(b)?;
            } else if let Some(b) = a.strip_prefix(')') {
                return Ok((b, out));
            } else {
                return self.fail_sep(a, "`,` or `)` in the parameter list");
            }
        }
    }

    fn init(&self, i: &'s str, depth: usize) -> PResult<'s, Init> {
        if let Some(r) = i.strip_prefix('{') {
            if depth >= MAX_DEPTH {
                return fail_text(i, "initializer lists nested too deeply".into());
            }
            let mut items = Vec::new();
            let mut r = sk(r)?;
            if let Some(a) = r.strip_prefix('}') {
                return Ok((a, Init::List(items)));
            }
            loop {
                let (a, v) = self.init(r, depth + 1)?;
                items.push(v);
                let a = sk(a)?;
                if let Some(b) = a.strip_prefix(',') {
                    r = sk(b)?;
                } else if let Some(b) = a.strip_prefix('}') {
                    return Ok((b, Init::List(items)));
                } else {
                    return self.fail_sep(a, "`,` or `}` in the initializer list");
                }
            }
        }
        let (r, c) = self.init_constant(i)?;
        Ok((r, Init::Scalar(c)))
    }

    /// `5`, `-1`, `0f3F800000`, `1.5`, `sym`, `sym+8`, `generic(sym)+8`.
    fn init_constant(&self, i: &'s str) -> PResult<'s, Constant> {
        match first_byte(i) {
            Some(c) if c.is_ascii_digit() || c == b'-' => number(i),
            _ => {
                let (r, name) = commit(ident(i), "an initializer value")?;
                let (r, name, generic) = if name == "generic" && sk(r)?.starts_with('(') {
                    let a = sk(&sk(r)?[1..])?;
                    let (a, n) = commit(ident(a), "a symbol inside `generic( )`")?;
                    let a = sk(a)?;
                    let Some(a) = a.strip_prefix(')') else { return self.fail_sep(a, "`)` after `generic(sym`") };
                    (a, n, true)
                } else {
                    (r, name, false)
                };
                let (r, off) = offset(r)?;
                Ok((r, Constant::Symbol { name: name.to_string(), offset: off.unwrap_or(0), generic }))
            }
        }
    }

    // --- functions ---

    fn function(&self, start: &'s str, i: &'s str, linkage: Linkage) -> PResult<'s, Function> {
        let Some((kw, after)) = dot_word(i) else { return fail(i, "`.entry` or `.func`") };
        let kind = if kw == "entry" { FunctionKind::Entry } else { FunctionKind::Func };
        let loc = self.loc(start);
        let mut header = Header { directives: Vec::new(), pre_body: Vec::new() };
        let r = sk(after)?;
        let r = self.header_directives(r, &mut header)?.0;
        let (r, returns) = if r.starts_with('(') { self.param_list(r)? } else { (r, Vec::new()) };
        let r = sk(r)?;
        let (r, name) = commit(ident(r), "the function name")?;
        let r = sk(r)?;
        let (r, params) = if r.starts_with('(') { self.param_list(r)? } else { (r, Vec::new()) };
        let r = sk(r)?;
        let r = self.header_directives(r, &mut header)?.0;
        let (r, body) = match first_byte(r) {
            Some(b'{') => {
                let mut stack = self.stack.take();
                stack.clear();
                let parsed = self.block(r, 0, &mut stack);
                self.stack.set(stack);
                let (r, mut body) = parsed?;
                if !header.pre_body.is_empty() {
                    header.pre_body.append(&mut body);
                    body = header.pre_body;
                }
                (r, Some(body))
            }
            Some(b';') => (&r[1..], None),
            _ => return self.fail_sep(r, "`{` or `;` after the function header"),
        };
        Ok((r, Function { kind, linkage, name: name.to_string(), returns, params, directives: header.directives, body, loc }))
    }

    /// `.maxntid 256, 1, 1`, `.noreturn`, `.explicitcluster`, `.pragma "…";` …
    fn header_directives(&self, i: &'s str, h: &mut Header) -> PResult<'s, ()> {
        let mut r = i;
        while let Some((w, after)) = dot_word(r) {
            if w == "pragma" {
                let (a, d) = raw_directive(r, RawEnd::Semicolon)?;
                h.pre_body.push(Statement::Directive(d));
                r = sk(a)?;
                continue;
            }
            if linkage_of(w).is_some() || space_of(w).is_some() || Type::from_name(w).is_some() || matches!(w, "entry" | "func") {
                return fail_text(r, format!("unexpected `.{w}` in the function header (missing `;` or body?)"));
            }
            let mut args = Vec::new();
            let mut a = sk(after)?;
            if first_byte(a).is_some_and(|c| c.is_ascii_digit()) {
                loop {
                    let (b, v) = uint(a)?;
                    args.push(v);
                    let b2 = sk(b)?;
                    match b2.strip_prefix(',') {
                        Some(c) => a = sk(c)?,
                        None => {
                            a = b2;
                            break;
                        }
                    }
                }
            }
            h.directives.push(FunctionDirective { name: w.to_string(), args });
            r = a;
        }
        Ok((r, ()))
    }

    // --- bodies ---

    /// A `{ … }` block; `i` starts at the `{`. Statements go on `out` (the block stack) and
    /// are moved into the returned `Vec` at the closing `}`.
    fn block(&self, i: &'s str, depth: usize, out: &mut Vec<Statement>) -> PResult<'s, Vec<Statement>> {
        if depth >= MAX_DEPTH {
            return fail_text(i, "blocks nested too deeply".into());
        }
        let open = i;
        let mut r = &i[1..];
        let mark = out.len();
        loop {
            r = sk(r)?;
            match first_byte(r) {
                None => return fail_text(open, "unclosed `{` (no matching `}` before the end of input)".into()),
                Some(b'}') => return Ok((&r[1..], out.split_off(mark))),
                Some(b'{') => {
                    let (a, inner) = self.block(r, depth + 1, out)?;
                    out.push(Statement::Block(inner));
                    r = a;
                }
                Some(b';') => r = &r[1..],
                Some(b'.') => r = self.body_directive(r, out)?.0,
                Some(b'@') => {
                    let (a, ins) = self.instruction(r)?;
                    out.push(Statement::Instr(ins));
                    r = a;
                }
                Some(_) => r = self.label_or_instruction(r, out)?.0,
            }
        }
    }

    fn body_directive(&self, i: &'s str, out: &mut Vec<Statement>) -> PResult<'s, ()> {
        let Some((w, _)) = dot_word(i) else { return fail(i, "a directive") };
        match w {
            "loc" | "file" => {
                let (r, d) = raw_directive(i, RawEnd::Line)?;
                out.push(Statement::Directive(d));
                Ok((r, ()))
            }
            "pragma" | "alias" => {
                let (r, d) = raw_directive(i, RawEnd::Semicolon)?;
                out.push(Statement::Directive(d));
                Ok((r, ()))
            }
            // `.section` is module-scope only; accepting it here would also make a one-line
            // `.section x` followed by a `{ }` block ambiguous.
            w if space_of(w).is_some() || linkage_of(w).is_some() || w == "align" => {
                let (r, decls) = self.decl_statement(i, i, Linkage::None)?;
                out.extend(decls.into_iter().map(Statement::Decl));
                Ok((r, ()))
            }
            w => fail_text(i, format!("unknown directive `.{w}` in a function body")),
        }
    }

    /// `name:` (label), `name: .callprototype …`, `name: .branchtargets …`, or an instruction.
    fn label_or_instruction(&self, i: &'s str, out: &mut Vec<Statement>) -> PResult<'s, ()> {
        if let Ok((r, name)) = ident(i) {
            let r1 = sk(r)?;
            if r1.starts_with(':') && !r1.starts_with("::") {
                let r2 = sk(&r1[1..])?;
                match dot_word(r2) {
                    Some(("callprototype", after)) => {
                        let (a, s) = self.prototype(name, after)?;
                        out.push(s);
                        return Ok((a, ()));
                    }
                    Some((kind @ ("branchtargets" | "calltargets"), after)) => {
                        let mut labels = Vec::new();
                        let mut a = sk(after)?;
                        loop {
                            let (b, l) = commit(ident(a), "a label in the target list")?;
                            labels.push(l.to_string());
                            let b = sk(b)?;
                            if let Some(c) = b.strip_prefix(',') {
                                a = sk(c)?;
                            } else if let Some(c) = b.strip_prefix(';') {
                                out.push(Statement::Targets { name: name.to_string(), kind: kind.to_string(), labels });
                                return Ok((c, ()));
                            } else {
                                return self.fail_sep(b, "`,` or `;` in the target list");
                            }
                        }
                    }
                    _ => {
                        out.push(Statement::Label(Name::from_token(name, i)));
                        return Ok((&r1[1..], ()));
                    }
                }
            }
        }
        let (r, ins) = self.instruction(i)?;
        out.push(Statement::Instr(ins));
        Ok((r, ()))
    }

    /// After `name : .callprototype`: `[(rets)] _ (params);`
    fn prototype(&self, name: &str, i: &'s str) -> PResult<'s, Statement> {
        let r = sk(i)?;
        let (r, returns) = if r.starts_with('(') { self.param_list(r)? } else { (r, Vec::new()) };
        let r = sk(r)?;
        let Some(r) = r.strip_prefix('_') else { return fail(r, "`_` in the call prototype") };
        let r = sk(r)?;
        let (r, params) = if r.starts_with('(') { self.param_list(r)? } else { (r, Vec::new()) };
        let r = sk(r)?;
        let Some(r) = r.strip_prefix(';') else { return self.fail_sep(r, "`;` after the call prototype") };
        Ok((r, Statement::Prototype { name: name.to_string(), returns, params }))
    }

    fn instruction(&self, i: &'s str) -> PResult<'s, Instruction> {
        let loc = self.loc(i);
        let (r, guard) = if let Some(g) = i.strip_prefix('@') {
            let g = sk(g)?;
            let (g, negated) = match g.strip_prefix('!') {
                Some(g) => (sk(g)?, true),
                None => (g, false),
            };
            let (rest, name) = commit(alt((reg, ident))(g), "a predicate register after `@`")?;
            (sk(rest)?, Some(Guard { negated, reg: Name::from_token(name, g) }))
        } else {
            (i, None)
        };
        if !first_byte(r).is_some_and(|c| c.is_ascii_alphabetic() || c == b'_') {
            return fail(r, "an instruction, label or directive");
        }
        let ob = r.as_bytes();
        let mut n = 1;
        while n < ob.len() && (ob[n].is_ascii_alphanumeric() || ob[n] == b'_') {
            n += 1;
        }
        let opcode = Name::from_token(&r[..n], r);
        let mut r = &r[n..];
        // Exactly sized: count the modifiers' dots first (a few bytes; saves regrowing the list
        // and its slack capacity).
        let nmods = r.as_bytes().iter().take_while(|&&c| c > b' ' && c != b';').filter(|&&c| c == b'.').count();
        let mut modifiers = Vec::with_capacity(nmods);
        while let Some(a) = r.strip_prefix('.') {
            let (rest, m) = modifier(a)?;
            modifiers.push(Name::from_token(m, a));
            r = rest;
        }
        if r.as_bytes().first().is_some_and(|&c| is_follow(c)) {
            return fail(r, "whitespace after the opcode");
        }
        let mut operands = Vec::new();
        let mut r1 = sk(r)?;
        if let Some(a) = r1.strip_prefix(';') {
            return Ok((a, Instruction { guard, opcode, modifiers, operands, loc }));
        }
        loop {
            // Fast path for the most common operand, a register followed by `,` or `;`
            // (anything else, e.g. `%p1|%p2`, takes the general path).
            let (a, op) = match reg(r1) {
                Ok((a, name)) if matches!(first_byte(a), Some(b',' | b';')) => (a, Operand::Reg(Name::from_token(name, r1))),
                _ => self.operand(r1)?,
            };
            operands.push(op);
            let b = sk(a)?;
            if let Some(c) = b.strip_prefix(',') {
                r1 = sk(c)?;
            } else if let Some(c) = b.strip_prefix(';') {
                return Ok((c, Instruction { guard, opcode, modifiers, operands, loc }));
            } else {
                return self.fail_sep(b, "`,` or `;` after the operand");
            }
        }
    }

    // --- operands ---

    /// An operand, including `a|b` pairs.
    fn operand(&self, i: &'s str) -> PResult<'s, Operand> {
        let (r, first) = self.primary(i)?;
        let r1 = sk(r)?;
        if let Some(a) = r1.strip_prefix('|') {
            let a = sk(a)?;
            let (a, second) = self.atom(a)?;
            return Ok((a, Operand::Pair(Box::new(first), Box::new(second))));
        }
        Ok((r, first))
    }

    /// Atoms plus the bracketed forms `[…]`, `{…}`, `(…)`.
    fn primary(&self, i: &'s str) -> PResult<'s, Operand> {
        match first_byte(i) {
            Some(b'[') => self.address(i),
            Some(b'{') => map(|a| self.list(a, b'{', b'}'), Operand::Vector)(i),
            Some(b'(') => map(|a| self.list(a, b'(', b')'), Operand::List)(i),
            _ => self.atom(i),
        }
    }

    /// `%r1`, `!%p1`, `_`, immediates, `sym`, `sym+4`.
    fn atom(&self, i: &'s str) -> PResult<'s, Operand> {
        let b = i.as_bytes();
        match b.first() {
            Some(b'%') => {
                let (r, name) = commit(reg(i), "a register name after `%`")?;
                Ok((r, Operand::Reg(Name::from_token(name, i))))
            }
            Some(b'!') => {
                let a = sk(&i[1..])?;
                let (r, name) = commit(alt((reg, ident))(a), "a predicate register after `!`")?;
                Ok((r, Operand::NotReg(Name::from_token(name, a))))
            }
            Some(b'_') if !b.get(1).is_some_and(|&c| is_follow(c)) => Ok((&i[1..], Operand::Sink)),
            Some(b'-') if b.get(1) == Some(&b'%') => {
                let (r, name) = commit(reg(&i[1..]), "a register name after `-%`")?;
                Ok((r, Operand::NegReg(Name::from_token(name, &i[1..]))))
            }
            Some(c) if c.is_ascii_digit() || *c == b'-' => map(number, Operand::Imm)(i),
            Some(c) if c.is_ascii_alphabetic() || matches!(c, b'_' | b'$') => {
                let (r, name) = ident(i)?;
                let (r, off) = offset(r)?;
                Ok((
                    r,
                    match off {
                        Some(o) => Operand::SymbolOffset(Name::from_token(name, i), o),
                        None => Operand::Symbol(Name::from_token(name, i)),
                    },
                ))
            }
            _ => fail(i, "an operand"),
        }
    }

    /// `{a, b}` or `(a, b)` (possibly empty) of atoms.
    fn list(&self, i: &'s str, open: u8, close: u8) -> PResult<'s, Vec<Operand>> {
        if first_byte(i) != Some(open) {
            return fail(i, "a list");
        }
        let close_what = if close == b'}' { "`,` or `}` in the vector" } else { "`,` or `)` in the list" };
        let mut r = sk(&i[1..])?;
        let mut out = Vec::new();
        if first_byte(r) == Some(close) {
            return Ok((&r[1..], out));
        }
        loop {
            let (a, op) = self.atom(r)?;
            out.push(op);
            let a = sk(a)?;
            if let Some(c) = a.strip_prefix(',') {
                r = sk(c)?;
            } else if first_byte(a) == Some(close) {
                return Ok((&a[1..], out));
            } else {
                return self.fail_sep(a, close_what);
            }
        }
    }

    /// `[base]`, `[base+off]`, or a bracket list `[a, {b, c}]`.
    fn address(&self, i: &'s str) -> PResult<'s, Operand> {
        let r = sk(&i[1..])?;
        let (r, base) = match first_byte(r) {
            Some(b'%') => commit(map(reg, |n: &str| AddrBase::Reg(Name::from_token(n, r)))(r), "a register")?,
            Some(c) if c.is_ascii_digit() || c == b'-' => {
                let (a, c) = number(r)?;
                match c {
                    Constant::Int(v) => (a, AddrBase::Imm(v)),
                    _ => return fail(r, "an integer address"),
                }
            }
            Some(c) if c.is_ascii_alphabetic() || matches!(c, b'_' | b'$') => {
                map(ident, |n: &str| AddrBase::Symbol(Name::from_token(n, r)))(r)?
            }
            _ => return fail(r, "an address (register, symbol or integer) after `[`"),
        };
        let (r, off) = offset(r)?;
        let r1 = sk(r)?;
        if let Some(a) = r1.strip_prefix(']') {
            return Ok((a, Operand::Address { base, offset: off.unwrap_or(0) }));
        }
        if r1.starts_with(',') && off.is_none() {
            let first = match base {
                AddrBase::Reg(n) => Operand::Reg(n),
                AddrBase::Symbol(n) => Operand::Symbol(n),
                AddrBase::Imm(v) => Operand::Imm(Constant::Int(v)),
            };
            // Re-use the list parser from the comma: "[a" + ", b, c]".
            let (a, mut rest) = self.list_after_first(r1)?;
            rest.insert(0, first);
            return Ok((a, Operand::BracketList(rest)));
        }
        self.fail_sep(r1, "`]` to close the address")
    }

    /// The `, b, c]` tail of a bracket list.
    fn list_after_first(&self, i: &'s str) -> PResult<'s, Vec<Operand>> {
        let mut out = Vec::new();
        let mut r = i;
        loop {
            let a = sk(r)?;
            if let Some(b) = a.strip_prefix(',') {
                let b = sk(b)?;
                let (c, op) = if first_byte(b) == Some(b'{') {
                    map(|x| self.list(x, b'{', b'}'), Operand::Vector)(b)?
                } else {
                    self.atom(b)?
                };
                out.push(op);
                r = c;
            } else if let Some(b) = a.strip_prefix(']') {
                return Ok((b, out));
            } else {
                return self.fail_sep(a, "`,` or `]` in the bracketed operand");
            }
        }
    }
}
