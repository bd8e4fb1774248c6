//! The PTX IR: what the parser produces and the printer and the JIT consume.
//!
//! The IR is deliberately close to the text. Instructions keep their opcode and their
//! dot-modifiers as strings (`ld.global.nc.v4.f32` → opcode `ld`, modifiers
//! `["global", "nc", "v4", "f32"]`): the meaning of a modifier depends on the opcode, and the
//! lowering that interprets it is the one place that has to know. This keeps the parser total
//! over the whole ISA (an unknown instruction parses; only the lowering rejects it, with a
//! message that names it and its line) and makes parse → print → parse an identity.

pub use crate::name::Name;

/// A source position (1-based line and column) for error messages and the JIT log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Loc {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// `.version MAJOR.MINOR`
    pub version: (u32, u32),
    /// `.target sm_80, texmode_independent, debug` → `["sm_80", "texmode_independent", "debug"]`
    pub target: Vec<String>,
    /// `.address_size 64` (64 when absent)
    pub address_size: u32,
    /// Module-scope items in source order.
    pub items: Vec<ModuleItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModuleItem {
    /// A module-scope variable (`.global`, `.const`, `.shared`, `.local`, …).
    Var(VarDecl),
    /// An `.entry` or `.func`, with or without a body (a declaration).
    Function(Function),
    /// A directive kept for the printer but without meaning for execution
    /// (`.file`, `.section` blocks, `.pragma` at module scope, …): the raw text, without `;`.
    Directive(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateSpace {
    Reg,
    Sreg,
    Const,
    Global,
    Local,
    Param,
    Shared,
    Tex,
    Generic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Linkage {
    None,
    Extern,
    Visible,
    Weak,
    Common,
}

/// Fundamental PTX types (PTX ISA §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    B8,
    B16,
    B32,
    B64,
    B128,
    U8,
    U16,
    U32,
    U64,
    S8,
    S16,
    S32,
    S64,
    F16,
    F16x2,
    BF16,
    BF16x2,
    TF32,
    F32,
    F64,
    Pred,
    E4m3x2,
    E5m2x2,
    /// Opaque types (`.texref`, `.samplerref`, `.surfref`).
    TexRef,
    SamplerRef,
    SurfRef,
}

impl Type {
    /// Size in bytes of one element (predicates count as 1).
    pub fn size(self) -> u32 {
        use Type::*;
        match self {
            B8 | U8 | S8 | Pred => 1,
            B16 | U16 | S16 | F16 | BF16 | E4m3x2 | E5m2x2 => 2,
            B32 | U32 | S32 | F32 | F16x2 | BF16x2 | TF32 => 4,
            B64 | U64 | S64 | F64 | TexRef | SamplerRef | SurfRef => 8,
            B128 => 16,
        }
    }

    /// The type named by a modifier string such as `"u32"` or `"f16x2"`.
    pub fn from_name(s: &str) -> Option<Type> {
        use Type::*;
        Some(match s {
            "b8" => B8,
            "b16" => B16,
            "b32" => B32,
            "b64" => B64,
            "b128" => B128,
            "u8" => U8,
            "u16" => U16,
            "u32" => U32,
            "u64" => U64,
            "s8" => S8,
            "s16" => S16,
            "s32" => S32,
            "s64" => S64,
            "f16" => F16,
            "f16x2" => F16x2,
            "bf16" => BF16,
            "bf16x2" => BF16x2,
            "tf32" => TF32,
            "f32" => F32,
            "f64" => F64,
            "pred" => Pred,
            "e4m3x2" => E4m3x2,
            "e5m2x2" => E5m2x2,
            "texref" => TexRef,
            "samplerref" => SamplerRef,
            "surfref" => SurfRef,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        use Type::*;
        match self {
            B8 => "b8",
            B16 => "b16",
            B32 => "b32",
            B64 => "b64",
            B128 => "b128",
            U8 => "u8",
            U16 => "u16",
            U32 => "u32",
            U64 => "u64",
            S8 => "s8",
            S16 => "s16",
            S32 => "s32",
            S64 => "s64",
            F16 => "f16",
            F16x2 => "f16x2",
            BF16 => "bf16",
            BF16x2 => "bf16x2",
            TF32 => "tf32",
            F32 => "f32",
            F64 => "f64",
            Pred => "pred",
            E4m3x2 => "e4m3x2",
            E5m2x2 => "e5m2x2",
            TexRef => "texref",
            SamplerRef => "samplerref",
            SurfRef => "surfref",
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, Type::F16 | Type::F16x2 | Type::BF16 | Type::BF16x2 | Type::F32 | Type::F64 | Type::TF32)
    }

    pub fn is_signed(self) -> bool {
        matches!(self, Type::S8 | Type::S16 | Type::S32 | Type::S64)
    }
}

/// A variable declaration: module-scope variables, `.reg`/`.local`/`.shared`/`.param`
/// declarations inside a body, and function parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct VarDecl {
    pub linkage: Linkage,
    pub space: StateSpace,
    /// `.align N`
    pub align: Option<u32>,
    /// `.v2`/`.v4`/`.v8`
    pub vector: Option<u8>,
    pub ty: Type,
    /// `.ptr` attributes of kernel parameters, raw (`[".ptr", ".global", ".align 4"]`), for the printer.
    pub attrs: Vec<String>,
    pub name: String,
    /// `%r<10>` declares `%r0` … `%r9`: `Some(10)`.
    pub range: Option<u32>,
    /// Array dimensions; `None` for an unsized dimension (`[]`).
    pub dims: Vec<Option<u64>>,
    pub init: Option<Init>,
    pub loc: Loc,
}

impl VarDecl {
    /// Total size in bytes (element size × vector width × product of dimensions; an unsized
    /// dimension counts as the initializer's length, or 0).
    pub fn size_bytes(&self) -> u64 {
        let elem = self.ty.size() as u64 * self.vector.unwrap_or(1) as u64;
        let mut n: u64 = 1;
        for d in &self.dims {
            match d {
                Some(d) => n *= d,
                None => n *= self.init.as_ref().map(|i| i.flat_len() as u64).unwrap_or(0),
            }
        }
        elem * n
    }
}

/// An initializer (`= 5`, `= {1, 2, 3}`, `= {{1, 2}, {3, 4}}`, `= {sym, generic(sym)+4}`).
#[derive(Debug, Clone, PartialEq)]
pub enum Init {
    Scalar(Constant),
    List(Vec<Init>),
}

impl Init {
    pub fn flat_len(&self) -> usize {
        match self {
            Init::Scalar(_) => 1,
            Init::List(v) => v.iter().map(|i| i.flat_len()).sum(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    /// An integer literal, as its 64-bit pattern (negative literals are two's complement).
    Int(i64),
    /// `0fXXXXXXXX`: the bits of an f32.
    F32Bits(u32),
    /// `0dXXXXXXXXXXXXXXXX`: the bits of an f64.
    F64Bits(u64),
    /// A decimal floating literal such as `1.5` or `1e-3`.
    Float(f64),
    /// The address of a symbol plus an offset: `sym`, `sym+8`, `generic(sym)+8`.
    Symbol { name: String, offset: i64, generic: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    Entry,
    Func,
}

/// Performance-tuning and launch directives of a function (`.maxntid 256, 1, 1` …), kept raw:
/// name without the dot and its numeric arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDirective {
    pub name: String,
    pub args: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub kind: FunctionKind,
    pub linkage: Linkage,
    pub name: String,
    /// `.func (.param .b32 retval) name (...)`: the return parameters.
    pub returns: Vec<VarDecl>,
    pub params: Vec<VarDecl>,
    pub directives: Vec<FunctionDirective>,
    /// `None` for a declaration without a body (`.extern .func vprintf(...);`).
    pub body: Option<Vec<Statement>>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    Label(Name),
    Decl(VarDecl),
    Instr(Instruction),
    /// A nested `{ … }` scope.
    Block(Vec<Statement>),
    /// A `.callprototype` declaration: `name : .callprototype (ret) _ (params);`
    Prototype { name: String, returns: Vec<VarDecl>, params: Vec<VarDecl> },
    /// `.branchtargets`/`.calltargets` lists: `name: .branchtargets L1, L2;`
    Targets { name: String, kind: String, labels: Vec<String> },
    /// Directives without execution meaning (`.loc`, `.pragma "nounroll"`), raw text without `;`.
    Directive(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    pub negated: bool,
    pub reg: Name,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    pub guard: Option<Guard>,
    pub opcode: Name,
    /// Dot-modifiers in source order, without the dots (`"shared::cta"` keeps its `::`).
    pub modifiers: Vec<Name>,
    pub operands: Vec<Operand>,
    pub loc: Loc,
}

impl Instruction {
    pub fn has(&self, m: &str) -> bool {
        self.modifiers.iter().any(|x| x == m)
    }
    /// The types among the modifiers, in order (`cvt.rn.f32.s32` → `[F32, S32]`).
    pub fn types(&self) -> Vec<Type> {
        self.modifiers.iter().filter_map(|m| Type::from_name(m)).collect()
    }
}

/// The base of a memory operand.
#[derive(Debug, Clone, PartialEq)]
pub enum AddrBase {
    Reg(Name),
    Symbol(Name),
    /// `[0x1000]`
    Imm(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A register or special register by its full name (`%r1`, `%tid.x`, `%SP`).
    Reg(Name),
    /// A negated predicate source (`!%p1`).
    NotReg(Name),
    /// A negated register source (`-%r1`: `vmad`'s operand negation, PTX ISA 9.7.10.3).
    NegReg(Name),
    /// A literal.
    Imm(Constant),
    /// A symbol: variable, function or label name.
    Symbol(Name),
    /// `sym+4` outside brackets (mov of a symbol address with an offset).
    SymbolOffset(Name, i64),
    /// `[base+offset]`
    Address { base: AddrBase, offset: i64 },
    /// `{a, b, c, d}`; sink `_` elements are `Sink`.
    Vector(Vec<Operand>),
    /// `_`
    Sink,
    /// `%p1|%p2` (setp with two destinations, shfl's predicate output).
    Pair(Box<Operand>, Box<Operand>),
    /// `(a, b)`: the argument and return lists of `call`.
    List(Vec<Operand>),
    /// `[a, b, …]` with two or more elements: the bracketed operand of texture, surface and
    /// bulk-tensor instructions (`tex.2d.v4.f32.f32 {…}, [%rd1, {%f1, %f2}]`,
    /// `sust.b.2d.b32.trap [%rd2, {%r1, %r2}], {%r3}`, `[tex, sampler, {%f1, %f2}]`).
    /// A single-element `[x]` / `[x+off]` is always [`Operand::Address`].
    BracketList(Vec<Operand>),
}

/// Splits a video-instruction operand `%r1.h10` / `%r2.b0123` / `%r3.b2` into the register and
/// its sub-word selector (PTX ISA 9.7.10: `.b0`–`.b3`, `.h0`/`.h1`, and the SIMD forms
/// `.hxy`, `.bxyzw`). The parser keeps the selector in the register's name, as it does for
/// `%tid.x`; names whose tail is not a selector (special registers) give `None`.
pub fn video_selector(name: &str) -> Option<(&str, &str)> {
    let (base, sel) = name.rsplit_once('.')?;
    let digits = |s: &str, max: u8, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|c| (b'0'..=max).contains(&c))
    };
    let ok = match sel.as_bytes().first() {
        Some(b'b') => digits(&sel[1..], b'7', 1..=4),
        Some(b'h') => digits(&sel[1..], b'3', 1..=2),
        _ => false,
    };
    (ok && base.starts_with('%') && !base.contains('.')).then_some((base, sel))
}
