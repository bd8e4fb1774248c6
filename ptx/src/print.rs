//! [`Module`] → PTX text.
//!
//! The printer exists for two reasons: debugging (dump what the JIT was given, after any
//! rewriting) and testing the parser (`parse(print(parse(x))) == parse(x)` catches any
//! construct the parser reads into the IR but loses or mangles). It therefore prints every
//! field, in a canonical order and layout close to nvcc's, and is total: any IR value prints
//! (values the parser can never produce, such as a NaN [`Constant::Float`], print as an
//! equivalent literal of another form).
//!
//! Source positions ([`Loc`]) are not printed; compare modules with [`Module::without_locs`].

use std::fmt::Write;

use crate::ir::*;

/// Print a module as PTX.
pub fn print(m: &Module) -> String {
    let mut out = String::with_capacity(4096);
    let _ = writeln!(out, ".version {}.{}", m.version.0, m.version.1);
    let _ = writeln!(out, ".target {}", m.target.join(", "));
    let _ = writeln!(out, ".address_size {}", m.address_size);
    out.push('\n');
    let mut prev_was_function = true;
    for item in &m.items {
        if matches!(item, ModuleItem::Function(_)) && !prev_was_function {
            out.push('\n');
        }
        prev_was_function = matches!(item, ModuleItem::Function(_));
        match item {
            ModuleItem::Var(v) => {
                decl(&mut out, v);
                out.push_str(";\n");
            }
            ModuleItem::Function(f) => function(&mut out, f),
            ModuleItem::Directive(d) => directive(&mut out, d),
        }
    }
    out
}

impl Module {
    /// A copy with every [`Loc`] zeroed, for comparing modules parsed from different text
    /// (such as a module and the parse of its printout).
    pub fn without_locs(&self) -> Module {
        let mut m = self.clone();
        for item in &mut m.items {
            match item {
                ModuleItem::Var(v) => v.loc = Loc::default(),
                ModuleItem::Function(f) => {
                    f.loc = Loc::default();
                    f.returns.iter_mut().chain(f.params.iter_mut()).for_each(|p| p.loc = Loc::default());
                    if let Some(body) = &mut f.body {
                        zero_locs(body);
                    }
                }
                ModuleItem::Directive(_) => {}
            }
        }
        m
    }
}

fn zero_locs(stmts: &mut [Statement]) {
    for s in stmts {
        match s {
            Statement::Decl(d) => d.loc = Loc::default(),
            Statement::Instr(i) => i.loc = Loc::default(),
            Statement::Block(b) => zero_locs(b),
            Statement::Prototype { returns, params, .. } => {
                returns.iter_mut().chain(params.iter_mut()).for_each(|p| p.loc = Loc::default())
            }
            Statement::Label(_) | Statement::Targets { .. } | Statement::Directive(_) => {}
        }
    }
}

/// Directives the parser ends at the end of the line or at a block: no `;` after them. The
/// word is delimited exactly as the parser delimits it (`.section.debug_x` is `.section`).
fn directive_needs_semicolon(d: &str) -> bool {
    let word_len = d.strip_prefix('.').map_or(0, |r| r.bytes().take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$').count());
    !matches!(&d[..(word_len + 1).min(d.len())], ".loc" | ".file" | ".section")
}

fn directive(out: &mut String, d: &str) {
    out.push_str(d);
    if directive_needs_semicolon(d) {
        out.push(';');
    }
    out.push('\n');
}

fn linkage(l: Linkage) -> &'static str {
    match l {
        Linkage::None => "",
        Linkage::Extern => ".extern ",
        Linkage::Visible => ".visible ",
        Linkage::Weak => ".weak ",
        Linkage::Common => ".common ",
    }
}

fn space(s: StateSpace) -> &'static str {
    match s {
        StateSpace::Reg => ".reg",
        StateSpace::Sreg => ".sreg",
        StateSpace::Const => ".const",
        StateSpace::Global => ".global",
        StateSpace::Local => ".local",
        StateSpace::Param => ".param",
        StateSpace::Shared => ".shared",
        StateSpace::Tex => ".tex",
        StateSpace::Generic => "",
    }
}

/// `[linkage] space [.attribute(…)] [.align N] [.vN] .type [.ptr …] name[<N>][dims][ = init]`
fn decl(out: &mut String, v: &VarDecl) {
    out.push_str(linkage(v.linkage));
    out.push_str(space(v.space));
    for a in v.attrs.iter().filter(|a| a.starts_with(".attribute")) {
        out.push(' ');
        out.push_str(a);
    }
    if let Some(a) = v.align {
        let _ = write!(out, " .align {a}");
    }
    if let Some(n) = v.vector {
        let _ = write!(out, " .v{n}");
    }
    out.push_str(" .");
    out.push_str(v.ty.name());
    for a in v.attrs.iter().filter(|a| !a.starts_with(".attribute")) {
        out.push(' ');
        out.push_str(a);
    }
    out.push(' ');
    out.push_str(&v.name);
    if let Some(n) = v.range {
        let _ = write!(out, "<{n}>");
    }
    for d in &v.dims {
        match d {
            Some(n) => {
                let _ = write!(out, "[{n}]");
            }
            None => out.push_str("[]"),
        }
    }
    if let Some(init) = &v.init {
        out.push_str(" = ");
        initializer(out, init);
    }
}

fn initializer(out: &mut String, i: &Init) {
    match i {
        Init::Scalar(c) => constant(out, c),
        Init::List(items) => {
            out.push('{');
            for (k, it) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                initializer(out, it);
            }
            out.push('}');
        }
    }
}

fn constant(out: &mut String, c: &Constant) {
    match c {
        Constant::Int(v) => {
            let _ = write!(out, "{v}");
        }
        Constant::F32Bits(b) => {
            let _ = write!(out, "0f{b:08X}");
        }
        Constant::F64Bits(b) => {
            let _ = write!(out, "0d{b:016X}");
        }
        Constant::Float(f) => {
            if f.is_nan() {
                let _ = write!(out, "0d{:016X}", f.to_bits());
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 { "1e999" } else { "-1e999" });
            } else {
                // Debug keeps a `.` or exponent (`1.0`, `1e-300`), so it reads back as a float.
                let _ = write!(out, "{f:?}");
            }
        }
        Constant::Symbol { name, offset, generic } => {
            if *generic {
                let _ = write!(out, "generic({name})");
            } else {
                out.push_str(name);
            }
            signed_offset(out, *offset);
        }
    }
}

/// `+N` / `-N` (nothing for 0).
fn signed_offset(out: &mut String, off: i64) {
    if off > 0 {
        let _ = write!(out, "+{off}");
    } else if off < 0 {
        let _ = write!(out, "-{}", off.unsigned_abs());
    }
}

fn params(out: &mut String, ps: &[VarDecl], multiline: bool) {
    out.push('(');
    for (k, p) in ps.iter().enumerate() {
        if k > 0 {
            out.push(',');
            if !multiline {
                out.push(' ');
            }
        }
        if multiline {
            out.push_str("\n\t");
        }
        decl(out, p);
    }
    if multiline && !ps.is_empty() {
        out.push('\n');
    }
    out.push(')');
}

fn function(out: &mut String, f: &Function) {
    out.push_str(linkage(f.linkage));
    out.push_str(match f.kind {
        FunctionKind::Entry => ".entry ",
        FunctionKind::Func => ".func ",
    });
    if !f.returns.is_empty() {
        params(out, &f.returns, false);
        out.push(' ');
    }
    out.push_str(&f.name);
    params(out, &f.params, true);
    out.push('\n');
    for d in &f.directives {
        out.push('.');
        out.push_str(&d.name);
        for (k, a) in d.args.iter().enumerate() {
            out.push_str(if k == 0 { " " } else { ", " });
            let _ = write!(out, "{a}");
        }
        out.push('\n');
    }
    match &f.body {
        None => out.push_str(";\n\n"),
        Some(body) => {
            out.push_str("{\n");
            statements(out, body, 1);
            out.push_str("}\n\n");
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push('\t');
    }
}

fn statements(out: &mut String, stmts: &[Statement], depth: usize) {
    for s in stmts {
        match s {
            Statement::Label(l) => {
                out.push_str(l);
                out.push_str(":\n");
            }
            Statement::Decl(d) => {
                indent(out, depth);
                decl(out, d);
                out.push_str(";\n");
            }
            Statement::Instr(i) => {
                indent(out, depth);
                instruction(out, i);
                out.push('\n');
            }
            Statement::Block(b) => {
                indent(out, depth);
                out.push_str("{\n");
                statements(out, b, depth + 1);
                indent(out, depth);
                out.push_str("}\n");
            }
            Statement::Prototype { name, returns, params: ps } => {
                indent(out, depth);
                out.push_str(name);
                out.push_str(" : .callprototype ");
                if !returns.is_empty() {
                    params(out, returns, false);
                    out.push(' ');
                }
                out.push_str("_ ");
                params(out, ps, false);
                out.push_str(";\n");
            }
            Statement::Targets { name, kind, labels } => {
                indent(out, depth);
                let _ = write!(out, "{name}: .{kind} {};", labels.join(", "));
                out.push('\n');
            }
            Statement::Directive(d) => {
                indent(out, depth);
                directive(out, d);
            }
        }
    }
}

/// One instruction without indentation or newline: `@!%p1 add.s32 \t%r1, %r2, 3;`
pub fn instruction(out: &mut String, i: &Instruction) {
    if let Some(g) = &i.guard {
        out.push('@');
        if g.negated {
            out.push('!');
        }
        out.push_str(&g.reg);
        out.push(' ');
    }
    out.push_str(&i.opcode);
    for m in &i.modifiers {
        out.push('.');
        out.push_str(m);
    }
    for (k, op) in i.operands.iter().enumerate() {
        out.push_str(if k == 0 { " \t" } else { ", " });
        operand(out, op);
    }
    out.push(';');
}

pub fn operand(out: &mut String, op: &Operand) {
    match op {
        Operand::Reg(r) | Operand::Symbol(r) => out.push_str(r),
        Operand::NotReg(r) => {
            out.push('!');
            out.push_str(r);
        }
        Operand::NegReg(r) => {
            out.push('-');
            out.push_str(r);
        }
        Operand::Imm(c) => constant(out, c),
        Operand::SymbolOffset(s, off) => {
            out.push_str(s);
            if *off == 0 {
                out.push_str("+0");
            } else {
                signed_offset(out, *off);
            }
        }
        Operand::Address { base, offset } => {
            out.push('[');
            match base {
                AddrBase::Reg(r) | AddrBase::Symbol(r) => out.push_str(r),
                AddrBase::Imm(v) => {
                    let _ = write!(out, "{v}");
                }
            }
            if *offset != 0 {
                // nvcc's spelling for negative offsets is `+-N`.
                let _ = write!(out, "+{offset}");
            }
            out.push(']');
        }
        Operand::Vector(v) => seq(out, '{', v, '}'),
        Operand::List(v) => seq(out, '(', v, ')'),
        Operand::BracketList(v) => seq(out, '[', v, ']'),
        Operand::Sink => out.push('_'),
        Operand::Pair(a, b) => {
            operand(out, a);
            out.push('|');
            operand(out, b);
        }
    }
}

fn seq(out: &mut String, open: char, items: &[Operand], close: char) {
    out.push(open);
    for (k, op) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        operand(out, op);
    }
    out.push(close);
}
