//! Hand-written PTX covering every construct the parser supports, with the exact IR each one
//! must produce. Every snippet is also round-tripped through the printer.

mod common;

use common::roundtrip;
use ptx::*;

const HEADER: &str = ".version 9.5\n.target sm_90\n.address_size 64\n";

/// Parse `HEADER + body` (round-tripping it) and return the module.
fn module(body: &str) -> Module {
    roundtrip(body, &format!("{HEADER}{body}"))
}

/// The statements of the single function in `HEADER + .entry k() { body }`.
fn body(stmts: &str) -> Vec<Statement> {
    let m = module(&format!(".visible .entry k()\n{{\n{stmts}\n}}\n"));
    match &m.items[..] {
        [ModuleItem::Function(f)] => f.body.clone().unwrap(),
        other => panic!("{other:?}"),
    }
}

fn instr(text: &str) -> Instruction {
    match &body(text)[..] {
        [Statement::Instr(i)] => i.clone(),
        other => panic!("{text}: {other:?}"),
    }
}

fn ops(text: &str) -> Vec<Operand> {
    instr(text).operands
}

fn reg(s: &str) -> Operand {
    Operand::Reg(s.into())
}
fn sym(s: &str) -> Operand {
    Operand::Symbol(s.into())
}
fn int(v: i64) -> Operand {
    Operand::Imm(Constant::Int(v))
}
fn addr(base: AddrBase, offset: i64) -> Operand {
    Operand::Address { base, offset }
}
fn var(m: &Module, name: &str) -> VarDecl {
    m.items
        .iter()
        .find_map(|i| match i {
            ModuleItem::Var(v) if v.name == name => Some(v.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no var {name}"))
}
fn func<'m>(m: &'m Module, name: &str) -> &'m Function {
    m.items
        .iter()
        .find_map(|i| match i {
            ModuleItem::Function(f) if f.name == name => Some(f),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no function {name}"))
}

// ----- module level -----

#[test]
fn header_directives() {
    let m = roundtrip("h", "\n\n  // leading comment\n/* block\ncomment */\n.version 7.8\n.target sm_80, texmode_independent, debug\n.address_size 32\n");
    assert_eq!(m.version, (7, 8));
    assert_eq!(m.target, ["sm_80", "texmode_independent", "debug"]);
    assert_eq!(m.address_size, 32);
    assert!(m.items.is_empty());
    let m = roundtrip("default address size", ".version 9.0 .target sm_90a");
    assert_eq!(m.address_size, 64);
    assert_eq!(m.target, ["sm_90a"]);
}

#[test]
fn trailing_nuls_and_bom_tolerated() {
    let m = parse(&format!("\u{feff}{HEADER}.global .u32 x;\n\0\0\0\0")).unwrap();
    assert_eq!(m.items.len(), 1);
}

#[test]
fn crlf_line_endings_parse_like_lf() {
    let lf = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ptx/indirect_call.lineinfo.ptx")).unwrap();
    // (The .section block is raw text, so it keeps its `\r`s; compare everything else.)
    let lf = &lf[..lf.find("\t.section").unwrap()];
    let crlf = lf.replace('\n', "\r\n");
    let a = parse(lf).unwrap();
    let b = roundtrip("crlf", &crlf);
    assert_eq!(a.without_locs(), b.without_locs());
    // Same lines and columns too.
    assert_eq!(common::instructions(&a).iter().map(|i| i.loc).collect::<Vec<_>>(), common::instructions(&b).iter().map(|i| i.loc).collect::<Vec<_>>());
}

#[test]
fn bom_does_not_shift_columns() {
    let e = parse("\u{feff}.version 9.5 .target sm_90 @").unwrap_err();
    assert_eq!((e.line, e.col), (1, 28), "{e}");
}

#[test]
fn raw_module_directives() {
    let m = module(concat!(
        ".file 1 \"/tmp/a.cu\", 1700000000, 1234 // trailing comment\n",
        ".file\t2 \"b.h\"\n",
        ".pragma \"nounroll\";\n",
        ".section .debug_str\n{\n$L__info_string0:\n.b8 95,90,0 // c\n}\n",
        ".section\t.debug_abbrev { .b8 1 .b8 17 }\n",
        ".section.debug_macinfo\n\t{\n.b8 0\n\t}\n",
        ".section .debug_loc\n",
    ));
    let d: Vec<&str> = m.items.iter().map(|i| if let ModuleItem::Directive(d) = i { d.as_str() } else { panic!() }).collect();
    assert_eq!(d[0], ".file 1 \"/tmp/a.cu\", 1700000000, 1234");
    assert_eq!(d[1], ".file\t2 \"b.h\"");
    assert_eq!(d[2], ".pragma \"nounroll\"");
    assert!(d[3].starts_with(".section .debug_str\n{\n$L__info_string0:\n.b8 95,90,0 "), "{:?}", d[3]);
    assert!(d[3].ends_with('}') && !d[3].contains("// c"));
    assert_eq!(d[4], ".section\t.debug_abbrev { .b8 1 .b8 17 }");
    // Found by fuzzing: no space after `.section` (the printer must not add a `;`).
    assert_eq!(d[5], ".section.debug_macinfo\n\t{\n.b8 0\n\t}");
    // A `.section` without a block is a one-line directive.
    assert_eq!(d[6], ".section .debug_loc");
}

#[test]
fn module_variables() {
    let m = module(concat!(
        ".extern .shared .align 16 .b8 dyn_smem[];\n",
        ".visible .global .align 4 .u32 counter = 5;\n",
        ".weak .global .f32 w = 0f3F800000;\n",
        ".common .global .u64 c;\n",
        ".const .align 8 .f64 d = 0d400921FB54442D18;\n",
        ".global .v4 .f32 v = {1.0, 2.5, -0.5, 1e10};\n",
        ".global .v2 .u32 v2arr[2] = {{1, 2}, {3, 4}};\n",
        ".global .align 4 .s32 grid[2][3] = {{1, -2, 3}, {0x10, 010, 0b101}};\n",
        ".global .u64 big = 0xFFFFFFFFFFFFFFFF;\n",
        ".global .u32 unsigned_suffix = 42U;\n",
        ".global .u64 ptrs[3] = {grid, grid+8, generic(counter)};\n",
        ".global .u64 gp = generic(grid)+12;\n",
        ".shared .align 8 .b8 sh[64];\n",
        ".local .u32 loc;\n",
        ".global .attribute(.managed) .align 4 .u32 managed = 3;\n",
        ".global .texref tex;\n",
        ".global .v8 .b32 wide;\n",
        ".global .u32 a, b = 2, c4[4];\n",
        ".global .b8 cube[2][2][2];\n",
    ));
    let v = var(&m, "dyn_smem");
    assert_eq!((v.linkage, v.space, v.align, v.ty, v.dims.clone()), (Linkage::Extern, StateSpace::Shared, Some(16), Type::B8, vec![None]));
    let v = var(&m, "counter");
    assert_eq!((v.linkage, v.init.clone()), (Linkage::Visible, Some(Init::Scalar(Constant::Int(5)))));
    assert_eq!(var(&m, "w").linkage, Linkage::Weak);
    assert_eq!(var(&m, "w").init, Some(Init::Scalar(Constant::F32Bits(0x3F80_0000))));
    assert_eq!(var(&m, "c").linkage, Linkage::Common);
    assert_eq!(var(&m, "d").init, Some(Init::Scalar(Constant::F64Bits(0x4009_21FB_5444_2D18))));
    let v = var(&m, "v");
    assert_eq!(v.vector, Some(4));
    assert_eq!(
        v.init,
        Some(Init::List(vec![
            Init::Scalar(Constant::Float(1.0)),
            Init::Scalar(Constant::Float(2.5)),
            Init::Scalar(Constant::Float(-0.5)),
            Init::Scalar(Constant::Float(1e10)),
        ]))
    );
    assert_eq!(var(&m, "v2arr").init.unwrap().flat_len(), 4);
    let g = var(&m, "grid");
    assert_eq!(g.dims, vec![Some(2), Some(3)]);
    let ints = |i: &Init| -> Vec<i64> {
        fn walk(i: &Init, out: &mut Vec<i64>) {
            match i {
                Init::Scalar(Constant::Int(v)) => out.push(*v),
                Init::List(l) => l.iter().for_each(|x| walk(x, out)),
                other => panic!("{other:?}"),
            }
        }
        let mut out = Vec::new();
        walk(i, &mut out);
        out
    };
    assert_eq!(ints(g.init.as_ref().unwrap()), [1, -2, 3, 16, 8, 5]);
    assert_eq!(g.size_bytes(), 24);
    assert_eq!(var(&m, "big").init, Some(Init::Scalar(Constant::Int(-1))));
    assert_eq!(var(&m, "unsigned_suffix").init, Some(Init::Scalar(Constant::Int(42))));
    let s = |name: &str, offset, generic| Init::Scalar(Constant::Symbol { name: name.into(), offset, generic });
    assert_eq!(var(&m, "ptrs").init, Some(Init::List(vec![s("grid", 0, false), s("grid", 8, false), s("counter", 0, true)])));
    assert_eq!(var(&m, "gp").init, Some(s("grid", 12, true)));
    assert_eq!(var(&m, "loc").space, StateSpace::Local);
    assert_eq!(var(&m, "managed").attrs, [".attribute(.managed)"]);
    assert_eq!(var(&m, "tex").ty, Type::TexRef);
    assert_eq!(var(&m, "wide").vector, Some(8));
    // One declaration per name in a multi-name declaration.
    assert_eq!(var(&m, "a").init, None);
    assert_eq!(var(&m, "b").init, Some(Init::Scalar(Constant::Int(2))));
    assert_eq!(var(&m, "c4").dims, vec![Some(4)]);
    assert_eq!(var(&m, "cube").size_bytes(), 8);
    // Locations point at the declaration.
    assert_eq!(var(&m, "dyn_smem").loc, Loc { line: 4, col: 1 });
}

// ----- functions -----

#[test]
fn entry_with_params_and_attributes() {
    let m = module(concat!(
        ".visible .entry kern(\n",
        "\t.param .u64 kern_param_0,\n",
        "\t.param .align 8 .b8 kern_param_1[24],\n",
        "\t.param .u64 .ptr .global .align 4 kern_param_2,\n",
        "\t.param .u64 .ptr .align 16 kern_param_3\n",
        ")\n",
        ".maxntid 256, 1, 1\n",
        ".reqntid 128\n",
        ".minnctapersm 2\n",
        ".maxnreg 64\n",
        ".maxclusterrank 8\n",
        ".reqnctapercluster 2, 1, 1\n",
        ".explicitcluster\n",
        "{\n\tret;\n}\n",
    ));
    let f = func(&m, "kern");
    assert_eq!((f.kind, f.linkage), (FunctionKind::Entry, Linkage::Visible));
    assert!(f.returns.is_empty());
    assert_eq!(f.params.len(), 4);
    assert_eq!((f.params[0].space, f.params[0].ty), (StateSpace::Param, Type::U64));
    assert_eq!((f.params[1].align, f.params[1].dims.clone()), (Some(8), vec![Some(24)]));
    assert_eq!(f.params[2].attrs, [".ptr", ".global", ".align 4"]);
    assert_eq!(f.params[2].align, None);
    assert_eq!(f.params[3].attrs, [".ptr", ".align 16"]);
    let d: Vec<(&str, &[u64])> = f.directives.iter().map(|d| (d.name.as_str(), d.args.as_slice())).collect();
    assert_eq!(
        d,
        [
            ("maxntid", &[256, 1, 1][..]),
            ("reqntid", &[128][..]),
            ("minnctapersm", &[2][..]),
            ("maxnreg", &[64][..]),
            ("maxclusterrank", &[8][..]),
            ("reqnctapercluster", &[2, 1, 1][..]),
            ("explicitcluster", &[][..]),
        ]
    );
    assert_eq!(f.loc, Loc { line: 4, col: 1 });
}

#[test]
fn funcs_declarations_and_pragmas() {
    let m = module(concat!(
        ".extern .func (.param .b32 r) vprintf(.param .b64 a, .param .b64 b);\n",
        ".extern .func  (.param .b32 func_retval0) vprintf2\n(\n\t.param .b64 vprintf2_param_0\n)\n;\n",
        ".func (.reg .b32 out) regfn(.reg .b32 x, .reg .pred p)\n{\n\tmov.b32 out, x;\n\tret;\n}\n",
        ".weak .func weakfn()\n{\n\tret;\n}\n",
        ".func abort_now() .noreturn\n{\n\ttrap;\n}\n",
        ".visible .func noparens\n{\n\tret;\n}\n",
        ".entry prag() .maxntid 32 .pragma \"nounroll\";\n{\n\tret;\n}\n",
        ".func (.param .align 16 .b8 ret[16]) big_ret(.param .align 8 .b8 s[24]) { ret; }\n",
    ));
    let v = func(&m, "vprintf");
    assert_eq!((v.linkage, v.body.is_none(), v.returns.len(), v.params.len()), (Linkage::Extern, true, 1, 2));
    assert_eq!(v.returns[0].name, "r");
    assert_eq!(func(&m, "vprintf2").params[0].name, "vprintf2_param_0");
    let r = func(&m, "regfn");
    assert_eq!((r.returns[0].space, r.params[1].ty), (StateSpace::Reg, Type::Pred));
    assert_eq!(func(&m, "weakfn").linkage, Linkage::Weak);
    assert_eq!(func(&m, "abort_now").directives, [FunctionDirective { name: "noreturn".into(), args: vec![] }]);
    assert!(func(&m, "noparens").params.is_empty());
    // A header pragma becomes the first body statement.
    let p = func(&m, "prag");
    assert_eq!(p.directives[0].name, "maxntid");
    assert_eq!(p.body.as_ref().unwrap()[0], Statement::Directive(".pragma \"nounroll\"".into()));
    assert_eq!(func(&m, "big_ret").returns[0].dims, [Some(16)]);
}

// ----- bodies -----

#[test]
fn body_declarations() {
    let b = body(concat!(
        "\t.reg .b32 %r<23>;\n",
        "\t.reg .pred %p<3>;\n",
        "\t.reg .b64 %SP, %SPL;\n",
        "\t.reg .v4 .f32 %v;\n",
        "\t.reg .b32 bare;\n",
        "\t.local .align 4 .b8 __local_depot0[16];\n",
        "\t.shared .align 4 .b8 smem[1024];\n",
        "\t.param .b64 param0;\n",
    ));
    let decls: Vec<&VarDecl> = b.iter().map(|s| if let Statement::Decl(d) = s { d } else { panic!("{s:?}") }).collect();
    assert_eq!((decls[0].name.as_str(), decls[0].range, decls[0].space, decls[0].ty), ("%r", Some(23), StateSpace::Reg, Type::B32));
    assert_eq!((decls[1].name.as_str(), decls[1].range, decls[1].ty), ("%p", Some(3), Type::Pred));
    assert_eq!((decls[2].name.as_str(), decls[3].name.as_str()), ("%SP", "%SPL"));
    assert_eq!(decls[4].vector, Some(4));
    assert_eq!(decls[5].name, "bare");
    assert_eq!((decls[6].space, decls[6].align, decls[6].size_bytes()), (StateSpace::Local, Some(4), 16));
    assert_eq!((decls[7].space, decls[7].size_bytes()), (StateSpace::Shared, 1024));
    assert_eq!(decls[8].space, StateSpace::Param);
    assert_eq!(decls[0].loc, Loc { line: 6, col: 2 });
}

#[test]
fn labels_guards_blocks_directives() {
    let b = body(concat!(
        "$L__BB0_1:\n",
        "\t@%p1 bra $L__BB0_2;\n",
        "\t@!%p2 bra.uni \t$L__BB0_1;\n",
        "\t@ ! %p3 ret;\n",
        "$L__BB0_2:  $L__tmp0: exit;\n",
        "\t.loc\t1 5 5\n",
        "\t.loc 1 9 73, function_name $L__info_string0, inlined_at 1 13 5\n",
        "\t.pragma \"nounroll\";\n",
        "\t{ // callseq 0, 0\n\t.reg .b32 temp_param_reg;\n\t{ nop; }\n\t} // callseq 0\n",
        "\t;\n",
    ));
    assert_eq!(b[0], Statement::Label("$L__BB0_1".into()));
    let Statement::Instr(i) = &b[1] else { panic!() };
    assert_eq!(i.guard, Some(Guard { negated: false, reg: "%p1".into() }));
    assert_eq!((i.opcode.as_str(), i.operands.clone()), ("bra", vec![sym("$L__BB0_2")]));
    assert_eq!(i.loc, Loc { line: 7, col: 2 });
    let Statement::Instr(i) = &b[2] else { panic!() };
    assert_eq!(i.guard, Some(Guard { negated: true, reg: "%p2".into() }));
    assert_eq!(i.modifiers, ["uni"]);
    let Statement::Instr(i) = &b[3] else { panic!() };
    assert_eq!(i.guard, Some(Guard { negated: true, reg: "%p3".into() }));
    assert!(i.operands.is_empty());
    assert_eq!(b[4], Statement::Label("$L__BB0_2".into()));
    assert_eq!(b[5], Statement::Label("$L__tmp0".into()));
    assert!(matches!(&b[6], Statement::Instr(i) if i.opcode == "exit"));
    assert_eq!(b[7], Statement::Directive(".loc\t1 5 5".into()));
    assert_eq!(b[8], Statement::Directive(".loc 1 9 73, function_name $L__info_string0, inlined_at 1 13 5".into()));
    assert_eq!(b[9], Statement::Directive(".pragma \"nounroll\"".into()));
    let Statement::Block(inner) = &b[10] else { panic!("{:?}", b[10]) };
    assert!(matches!(&inner[0], Statement::Decl(d) if d.name == "temp_param_reg"));
    assert!(matches!(&inner[1], Statement::Block(x) if matches!(&x[..], [Statement::Instr(n)] if n.opcode == "nop")));
    assert_eq!(b.len(), 11);
}

#[test]
fn direct_call_block() {
    let b = body(concat!(
        "\t{\n",
        "\t.param .b64 param0;\n",
        "\tst.param.b64 [param0], %rd1;\n",
        "\t.param .b64 param1;\n",
        "\tst.param.b64 [param1+0], %rd2;\n",
        "\t.param .b32 retval0;\n",
        "\tcall.uni (retval0), \n\tvprintf, \n\t(\n\tparam0, \n\tparam1\n\t);\n",
        "\tld.param.b32 %r5, [retval0];\n",
        "\tcall.uni \n\tnoargs, \n\t(\n\t);\n",
        "\tcall.uni voidfn, (param0);\n",
        "\tcall bare;\n",
        "\t}\n",
    ));
    let Statement::Block(s) = &b[0] else { panic!() };
    let Statement::Instr(st) = &s[1] else { panic!() };
    assert_eq!(st.operands, vec![addr(AddrBase::Symbol("param0".into()), 0), reg("%rd1")]);
    let Statement::Instr(st) = &s[3] else { panic!() };
    assert_eq!(st.operands[0], addr(AddrBase::Symbol("param1".into()), 0));
    let Statement::Instr(call) = &s[5] else { panic!() };
    assert_eq!((call.opcode.as_str(), call.modifiers.clone()), ("call", vec![ptx::Name::new("uni")]));
    assert_eq!(
        call.operands,
        vec![Operand::List(vec![sym("retval0")]), sym("vprintf"), Operand::List(vec![sym("param0"), sym("param1")])]
    );
    let Statement::Instr(call) = &s[7] else { panic!() };
    assert_eq!(call.operands, vec![sym("noargs"), Operand::List(vec![])]);
    let Statement::Instr(call) = &s[8] else { panic!() };
    assert_eq!(call.operands, vec![sym("voidfn"), Operand::List(vec![sym("param0")])]);
    let Statement::Instr(call) = &s[9] else { panic!() };
    assert_eq!(call.operands, vec![sym("bare")]);
}

#[test]
fn indirect_call_prototype_and_branch_targets() {
    let b = body(concat!(
        "\tprototype_0 : .callprototype (.param .b32 _) _ (.param .b64 _, .param .align 8 .b8 _[16]);\n",
        "\tprototype_1 : .callprototype ()_ ();\n",
        "\tcall (retval0), %rd5, (param0), prototype_0;\n",
        "\tcall %rd6, (param0, param1), Ftgt;\n",
        "$L_brx_0: .branchtargets $L__BB0_1, $L__BB0_2, $L__BB0_3;\n",
        "Ftgt: .calltargets f1, f2;\n",
        "\tbrx.idx %r1, $L_brx_0;\n",
    ));
    let Statement::Prototype { name, returns, params } = &b[0] else { panic!() };
    assert_eq!(name, "prototype_0");
    assert_eq!((returns.len(), returns[0].name.as_str(), returns[0].ty), (1, "_", Type::B32));
    assert_eq!((params.len(), params[1].align, params[1].dims.clone()), (2, Some(8), vec![Some(16)]));
    assert!(matches!(&b[1], Statement::Prototype { returns, params, .. } if returns.is_empty() && params.is_empty()));
    let Statement::Instr(c) = &b[2] else { panic!() };
    assert_eq!(c.operands, vec![Operand::List(vec![sym("retval0")]), reg("%rd5"), Operand::List(vec![sym("param0")]), sym("prototype_0")]);
    let Statement::Instr(c) = &b[3] else { panic!() };
    assert_eq!(c.operands, vec![reg("%rd6"), Operand::List(vec![sym("param0"), sym("param1")]), sym("Ftgt")]);
    assert_eq!(
        b[4],
        Statement::Targets {
            name: "$L_brx_0".into(),
            kind: "branchtargets".into(),
            labels: vec!["$L__BB0_1".into(), "$L__BB0_2".into(), "$L__BB0_3".into()]
        }
    );
    assert_eq!(b[5], Statement::Targets { name: "Ftgt".into(), kind: "calltargets".into(), labels: vec!["f1".into(), "f2".into()] });
}

// ----- operands -----

#[test]
fn special_registers() {
    for r in ["%tid.x", "%ntid.y", "%ctaid.z", "%nctaid.x", "%laneid", "%lanemask_lt", "%envreg3", "%SP", "%SPL", "%clock64", "%cluster_ctaid.x", "%dynamic_smem_size"] {
        assert_eq!(ops(&format!("mov.u32 %r1, {r};")), vec![reg("%r1"), reg(r)], "{r}");
    }
    // Vector-register components keep their suffix too.
    assert_eq!(ops("mov.f32 %f1, %v.w;"), vec![reg("%f1"), reg("%v.w")]);
}

#[test]
fn bare_identifier_registers_are_symbols() {
    assert_eq!(ops("add.s32 r1, r2, 1;"), vec![sym("r1"), sym("r2"), int(1)]);
    let i = instr("@p bra L1;");
    assert_eq!(i.guard, Some(Guard { negated: false, reg: "p".into() }));
    assert_eq!(ops("and.pred p, !q, p;"), vec![sym("p"), Operand::NotReg("q".into()), sym("p")]);
}

#[test]
fn immediates() {
    let imm = |s: &str| match &ops(&format!("mov.b64 %rd1, {s};"))[1] {
        Operand::Imm(c) => c.clone(),
        other => panic!("{s}: {other:?}"),
    };
    assert_eq!(imm("0f3F800000"), Constant::F32Bits(0x3F80_0000));
    assert_eq!(imm("0fBF800000"), Constant::F32Bits(0xBF80_0000));
    assert_eq!(imm("0F7f800000"), Constant::F32Bits(0x7F80_0000));
    assert_eq!(imm("-0f3F800000"), Constant::F32Bits(0xBF80_0000));
    assert_eq!(imm("0d3FF0000000000000"), Constant::F64Bits(0x3FF0_0000_0000_0000));
    assert_eq!(imm("0"), Constant::Int(0));
    assert_eq!(imm("-1"), Constant::Int(-1));
    assert_eq!(imm("42"), Constant::Int(42));
    assert_eq!(imm("42U"), Constant::Int(42));
    assert_eq!(imm("0x1F"), Constant::Int(31));
    assert_eq!(imm("0XffffffffU"), Constant::Int(0xffff_ffff));
    assert_eq!(imm("0xFFFFFFFFFFFFFFFF"), Constant::Int(-1));
    assert_eq!(imm("18446744073709551615U"), Constant::Int(-1));
    assert_eq!(imm("-9223372036854775808"), Constant::Int(i64::MIN));
    assert_eq!(imm("017"), Constant::Int(15));
    assert_eq!(imm("0b1011"), Constant::Int(11));
    assert_eq!(imm("1.5"), Constant::Float(1.5));
    assert_eq!(imm("-2.0e-3"), Constant::Float(-2.0e-3));
    assert_eq!(imm("1e3"), Constant::Float(1000.0));
    assert_eq!(imm("0.25"), Constant::Float(0.25));
}

#[test]
fn symbols_and_memory_operands() {
    assert_eq!(ops("mov.u64 %rd1, $str;"), vec![reg("%rd1"), sym("$str")]);
    assert_eq!(ops("mov.u64 %rd1, arr+4;"), vec![reg("%rd1"), Operand::SymbolOffset("arr".into(), 4)]);
    assert_eq!(ops("mov.u64 %rd1, arr - 8;"), vec![reg("%rd1"), Operand::SymbolOffset("arr".into(), -8)]);
    let r = |s: &str| AddrBase::Reg(s.into());
    let s = |s: &str| AddrBase::Symbol(s.into());
    assert_eq!(ops("ld.global.u32 %r1, [%rd1];")[1], addr(r("%rd1"), 0));
    assert_eq!(ops("ld.global.u32 %r1, [%rd1+16];")[1], addr(r("%rd1"), 16));
    assert_eq!(ops("ld.global.u32 %r1, [%rd1+-4];")[1], addr(r("%rd1"), -4));
    assert_eq!(ops("ld.global.u32 %r1, [%rd1-4];")[1], addr(r("%rd1"), -4));
    assert_eq!(ops("ld.global.u32 %r1, [ %rd1 + 0x10 ];")[1], addr(r("%rd1"), 16));
    assert_eq!(ops("ld.local.u32 %r1, [%SP+8];")[1], addr(r("%SP"), 8));
    assert_eq!(ops("ld.const.u32 %r1, [sym];")[1], addr(s("sym"), 0));
    assert_eq!(ops("ld.const.u32 %r1, [sym+8];")[1], addr(s("sym"), 8));
    assert_eq!(ops("ld.global.u32 %r1, [0x100];")[1], addr(AddrBase::Imm(256), 0));
    assert_eq!(ops("st.shared.u32 [%r6], %r1;")[0], addr(r("%r6"), 0));
}

#[test]
fn vectors_pairs_sinks_negation() {
    assert_eq!(
        ops("ld.global.v4.f32 {%f1, %f2, %f3, %f4}, [%rd1];")[0],
        Operand::Vector(vec![reg("%f1"), reg("%f2"), reg("%f3"), reg("%f4")])
    );
    assert_eq!(ops("ld.global.v4.f32 {%f1, _, _, %f4}, [%rd1];")[0], Operand::Vector(vec![reg("%f1"), Operand::Sink, Operand::Sink, reg("%f4")]));
    assert_eq!(ops("mov.b64 %rd1, {%r1, %r2};")[1], Operand::Vector(vec![reg("%r1"), reg("%r2")]));
    assert_eq!(ops("setp.lt.s32 %p1|%p2, %r1, 0;")[0], Operand::Pair(Box::new(reg("%p1")), Box::new(reg("%p2"))));
    assert_eq!(
        ops("shfl.sync.down.b32 %r1|%p1, %r2, 1, 31, -1;"),
        vec![Operand::Pair(Box::new(reg("%r1")), Box::new(reg("%p1"))), reg("%r2"), int(1), int(31), int(-1)]
    );
    assert_eq!(ops("selp.b32 %r1, 1, 0, !%p1;")[3], Operand::NotReg("%p1".into()));
    assert_eq!(ops("vote.sync.ballot.b32 %r1, !%p1, -1;")[1], Operand::NotReg("%p1".into()));
    // vmad's negated operands; a minus before a number stays a negative literal
    assert_eq!(ops("vmad.s32.s32.s32 %r1, -%r2.h1, %r3, -%r4;")[1], Operand::NegReg("%r2.h1".into()));
    assert_eq!(ops("vmad.s32.s32.s32 %r1, -%r2.h1, %r3, -%r4;")[3], Operand::NegReg("%r4".into()));
    assert!(matches!(ops("add.s32 %r1, %r2, -5;")[2], Operand::Imm(_)));
    assert_eq!(ops("mov.b32 {%h1, _}, %r1;")[0], Operand::Vector(vec![reg("%h1"), Operand::Sink]));
}

#[test]
fn bracket_lists() {
    assert_eq!(
        ops("tex.2d.v4.f32.f32 {%f1, %f2, %f3, %f4}, [%rd1, {%f5, %f6}];")[1],
        Operand::BracketList(vec![reg("%rd1"), Operand::Vector(vec![reg("%f5"), reg("%f6")])])
    );
    assert_eq!(
        ops("tex.2d.v4.f32.f32 {%f1, %f2, %f3, %f4}, [tex_a, samp, {%f5, %f6}];")[1],
        Operand::BracketList(vec![sym("tex_a"), sym("samp"), Operand::Vector(vec![reg("%f5"), reg("%f6")])])
    );
    assert_eq!(ops("sust.b.2d.b32.trap [%rd2, {%r1, %r2}], {%r3};")[0], Operand::BracketList(vec![reg("%rd2"), Operand::Vector(vec![reg("%r1"), reg("%r2")])]));
}

#[test]
fn opcodes_and_modifiers() {
    let m = |s: &str| {
        let i = instr(s);
        (i.opcode, i.modifiers)
    };
    let v = |s: &[&str]| s.iter().map(|&x| ptx::Name::new(x)).collect::<Vec<_>>();
    assert_eq!(
        m("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%f1,%f2,%f3,%f4}, {%r1,%r2,%r3,%r4}, {%r5,%r6}, {%f5,%f6,%f7,%f8};"),
        ("mma".into(), v(&["sync", "aligned", "m16n8k16", "row", "col", "f32", "f16", "f16", "f32"]))
    );
    assert_eq!(m("ld.shared::cta.u32 %r1, [%r2];"), ("ld".into(), v(&["shared::cta", "u32"])));
    assert_eq!(m("cp.async.ca.shared.global [%r1], [%rd1], 16;"), ("cp".into(), v(&["async", "ca", "shared", "global"])));
    assert_eq!(m("atom.global.add.noftz.f16x2 %r1, [%rd1], %r2;"), ("atom".into(), v(&["global", "add", "noftz", "f16x2"])));
    assert_eq!(m("tex.2d.v4.f32.f32 {%f1,%f2,%f3,%f4}, [%rd1, {%f5,%f6}];"), ("tex".into(), v(&["2d", "v4", "f32", "f32"])));
    assert_eq!(
        m("wmma.load.a.sync.aligned.row.m16n16k16.global.f16 {%r1,%r2,%r3,%r4,%r5,%r6,%r7,%r8}, [%rd1], %r9;"),
        ("wmma".into(), v(&["load", "a", "sync", "aligned", "row", "m16n16k16", "global", "f16"]))
    );
    assert_eq!(
        m("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes [%r1], [%rd1, {%r2, %r3}], [%r4];"),
        ("cp".into(), v(&["async", "bulk", "tensor", "2d", "shared::cluster", "global", "mbarrier::complete_tx::bytes"]))
    );
    assert_eq!(m("ld.global.L2::128B.b32 %r1, [%rd1];").1, v(&["global", "L2::128B", "b32"]));
    // Unknown opcodes parse: the JIT decides what it can run.
    assert_eq!(m("frobnicate.x.y %r1;"), ("frobnicate".into(), v(&["x", "y"])));
    assert_eq!(m("tcgen05.alloc.cta_group::1.sync.aligned.shared::cta.b32 [%r1], 32;").0, "tcgen05");
    let i = instr("cvt.rn.f32.s32 %f1, %r1;");
    assert_eq!(i.types(), [Type::F32, Type::S32]);
    assert!(i.has("rn"));
}

#[test]
fn comments_everywhere() {
    let b = body("add.s32 /* a */ %r1, // b\n %r2 /* c\n d */, 1; // e\n/**/ret;");
    assert_eq!(b.len(), 2);
    assert!(matches!(&b[0], Statement::Instr(i) if i.operands == vec![reg("%r1"), reg("%r2"), int(1)]));
}

#[test]
fn locations_are_line_and_char_column() {
    let src = format!("{HEADER}.entry k()\n{{\n\tmov.u32 %r1, 1;\n  /* é */ add.s32 %r1, %r1, 1;\n}}\n");
    let m = parse(&src).unwrap();
    let ins = common::instructions(&m);
    assert_eq!(ins[0].loc, Loc { line: 6, col: 2 });
    assert_eq!(ins[1].loc, Loc { line: 7, col: 11 });
}
