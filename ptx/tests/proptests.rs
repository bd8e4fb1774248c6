//! Property tests.
//!
//! 1. The parser never panics: on arbitrary strings, on "token soup" made of PTX punctuation
//!    and keywords (far more likely to reach deep parser states than random bytes), and on
//!    real nvcc output with random edits.
//! 2. Generated modules round-trip: for any IR value in the parser's image (the strategies
//!    below only build values the parser can produce — e.g. no `Operand::Imm(Symbol)`, no
//!    lone `_` symbol, which is a sink), `parse(print(m)) == m` up to locations.

mod common;

use proptest::prelude::*;
use ptx::*;

// ---------------------------------------------------------------------------------------------
// 1. No panics

const SOUP: &[&str] = &[
    ".version 9.5\n", ".target sm_90\n", ".address_size 64\n", ".entry", ".func", ".visible", ".extern", ".reg", ".param",
    ".global", ".shared", ".local", ".const", ".align", "8", ".b8", ".u32", ".f32", ".pred", ".v4", ".ptr", ".maxntid",
    ".loc", ".file", ".section", ".pragma", ".callprototype", ".branchtargets", ".attribute(", ".managed", "generic(",
    "{", "}", "(", ")", "[", "]", "<", ">", ";", ",", ":", "::", "|", "@", "!", "=", "+", "-", "_", ".", "\"", "\"s\"",
    "/*", "*/", "//", "\n", " ", "\t", "%r1", "%tid.x", "%p", "$L__BB0_1", "name", "ld.global.u32", "call.uni",
    "0f3F800000", "0d3FF0000000000000", "0x", "0xFF", "0b", "017", "1.5e", "1e3", "-1", "18446744073709551616", "U",
    "é", "\u{0}", "\u{feff}", "ü\n",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SOUP), 0..80).prop_map(|v| v.concat())
}

fn fixtures() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ptx");
    let mut v: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

/// Apply byte-range edits to a real module, snapping to char boundaries.
fn mutate(src: &str, edits: &[(usize, usize, String)]) -> String {
    let mut s = src.to_string();
    for (at, len, insert) in edits {
        if s.is_empty() {
            break;
        }
        let mut a = at % s.len();
        while !s.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = (a + len % 16).min(s.len());
        while !s.is_char_boundary(b) {
            b -= 1;
        }
        s.replace_range(a..b, insert);
    }
    s
}

/// If it parses, it must also print and re-parse to the same module.
fn no_panic_and_consistent(s: &str) {
    if let Ok(m) = parse(s) {
        let printed = print(&m);
        let m2 = parse(&printed).unwrap_or_else(|e| panic!("printed output does not parse: {e}\ninput: {s:?}\nprinted:\n{printed}"));
        assert_eq!(m.without_locs(), m2.without_locs(), "input: {s:?}\nprinted:\n{printed}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = parse(&s);
        let _ = parse(&format!(".version 9.5\n.target sm_90\n{s}"));
    }

    #[test]
    fn token_soup_never_panics(s in soup()) {
        no_panic_and_consistent(&s);
        no_panic_and_consistent(&format!(".version 9.5\n.target sm_90\n.entry k()\n{{\n{s}"));
    }

    #[test]
    fn mutated_nvcc_output_never_panics(
        which in 0usize..64,
        edits in prop::collection::vec((any::<usize>(), any::<usize>(), prop::sample::select(SOUP).prop_map(String::from)), 1..6),
    ) {
        let fx = fixtures();
        let src = &fx[which % fx.len()];
        let s = mutate(src, &edits);
        no_panic_and_consistent(&s);
        // The error, if any, must point inside the text.
        if let Err(e) = parse(&s) {
            prop_assert!(e.line as usize <= s.lines().count() + 1, "{e}");
            let _ = e.to_string();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Generated modules round-trip

fn ident() -> impl Strategy<Value = String> {
    // Not a lone `_` (that is the sink operand).
    "[a-zA-Z$][a-zA-Z0-9_$]{0,7}|_[a-zA-Z0-9_$]{1,7}"
}

fn reg_name() -> impl Strategy<Value = String> {
    ("%[a-zA-Z_][a-zA-Z0-9_]{0,5}", prop::option::of("[xyzw]")).prop_map(|(r, c)| match c {
        Some(c) => format!("{r}.{c}"),
        None => r,
    })
}

fn ty() -> impl Strategy<Value = Type> {
    use Type::*;
    prop::sample::select(vec![
        B8, B16, B32, B64, B128, U8, U16, U32, U64, S8, S16, S32, S64, F16, F16x2, BF16, BF16x2, TF32, F32, F64, Pred, E4m3x2,
        E5m2x2, TexRef, SamplerRef, SurfRef,
    ])
}

fn linkage() -> impl Strategy<Value = Linkage> {
    prop::sample::select(vec![Linkage::None, Linkage::Extern, Linkage::Visible, Linkage::Weak, Linkage::Common])
}

fn numeric_constant() -> impl Strategy<Value = Constant> {
    prop_oneof![
        any::<i64>().prop_map(Constant::Int),
        (-5i64..300).prop_map(Constant::Int),
        any::<u32>().prop_map(Constant::F32Bits),
        any::<u64>().prop_map(Constant::F64Bits),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Constant::Float),
        (-1000i32..1000).prop_map(|v| Constant::Float(v as f64 / 8.0)),
    ]
}

fn init_constant() -> impl Strategy<Value = Constant> {
    prop_oneof![
        3 => numeric_constant(),
        1 => (ident(), any::<i64>(), any::<bool>()).prop_map(|(name, offset, generic)| Constant::Symbol { name, offset, generic }),
        1 => (ident(), any::<bool>()).prop_map(|(name, generic)| Constant::Symbol { name, offset: 0, generic }),
    ]
}

fn init() -> impl Strategy<Value = Init> {
    init_constant().prop_map(Init::Scalar).prop_recursive(3, 16, 4, |inner| prop::collection::vec(inner, 0..4).prop_map(Init::List))
}

fn dims() -> impl Strategy<Value = Vec<Option<u64>>> {
    prop::collection::vec(prop::option::of(prop_oneof![any::<u64>(), 0u64..64]), 0..3)
}

fn var_decl(spaces: Vec<StateSpace>, with_init: bool, with_range: bool) -> impl Strategy<Value = VarDecl> {
    let attrs = (any::<bool>(), prop::option::of((prop::option::of(prop::sample::select(vec![".global", ".shared", ".const", ".local"])), prop::option::of(0u32..64))))
        .prop_map(|(managed, ptr)| {
            let mut a = Vec::new();
            if managed {
                a.push(".attribute(.managed)".to_string());
            }
            if let Some((space, align)) = ptr {
                a.push(".ptr".to_string());
                if let Some(s) = space {
                    a.push(s.to_string());
                }
                if let Some(n) = align {
                    a.push(format!(".align {n}"));
                }
            }
            a
        });
    (
        linkage(),
        prop::sample::select(spaces),
        prop::option::of(any::<u32>()),
        prop::option::of(prop::sample::select(vec![2u8, 4, 8])),
        ty(),
        attrs,
        prop_oneof![ident(), reg_name().prop_map(|r| r.split('.').next().unwrap().to_string())],
        if with_range { prop::option::of(any::<u32>()).boxed() } else { Just(None).boxed() },
        dims(),
        if with_init { prop::option::of(init()).boxed() } else { Just(None).boxed() },
    )
        .prop_map(|(linkage, space, align, vector, ty, attrs, name, range, dims, init)| VarDecl {
            linkage,
            space,
            align,
            vector,
            ty,
            attrs,
            name,
            range,
            dims,
            init,
            loc: Loc::default(),
        })
}

fn param_decl() -> impl Strategy<Value = VarDecl> {
    var_decl(vec![StateSpace::Param, StateSpace::Reg], false, false)
}

fn atom() -> impl Strategy<Value = Operand> {
    prop_oneof![
        4 => reg_name().prop_map(|n| Operand::Reg(n.into())),
        1 => prop_oneof![reg_name(), ident()].prop_map(|n| Operand::NotReg(n.into())),
        1 => reg_name().prop_map(|n| Operand::NegReg(n.into())),
        3 => numeric_constant().prop_map(Operand::Imm),
        2 => ident().prop_map(|n| Operand::Symbol(n.into())),
        1 => (ident(), any::<i64>()).prop_map(|(s, o)| Operand::SymbolOffset(s.into(), o)),
        1 => Just(Operand::Sink),
    ]
}

fn vector() -> impl Strategy<Value = Operand> {
    prop::collection::vec(atom(), 0..5).prop_map(Operand::Vector)
}

fn operand() -> impl Strategy<Value = Operand> {
    let base = prop_oneof![
        reg_name().prop_map(|n| AddrBase::Reg(n.into())),
        ident().prop_map(|n| AddrBase::Symbol(n.into())),
        any::<i64>().prop_map(AddrBase::Imm),
    ];
    let bracket_first = prop_oneof![
        reg_name().prop_map(|n| Operand::Reg(n.into())),
        ident().prop_map(|n| Operand::Symbol(n.into())),
        any::<i64>().prop_map(|v| Operand::Imm(Constant::Int(v))),
    ];
    let bracket_rest = prop::collection::vec(prop_oneof![atom(), vector()], 1..3);
    prop_oneof![
        6 => atom(),
        2 => (base, prop_oneof![Just(0i64), any::<i64>(), -64i64..64]).prop_map(|(base, offset)| Operand::Address { base, offset }),
        1 => vector(),
        1 => (prop_oneof![atom(), vector()], atom()).prop_map(|(a, b)| Operand::Pair(Box::new(a), Box::new(b))),
        1 => prop::collection::vec(atom(), 0..3).prop_map(Operand::List),
        1 => (bracket_first, bracket_rest).prop_map(|(f, mut rest)| {
            rest.insert(0, f);
            Operand::BracketList(rest)
        }),
    ]
}

fn instruction() -> impl Strategy<Value = Instruction> {
    (
        prop::option::of((any::<bool>(), prop_oneof![reg_name(), ident()]).prop_map(|(negated, reg)| Guard { negated, reg: reg.into() })),
        "[a-z][a-z0-9_]{0,7}",
        prop::collection::vec("[a-z0-9_]{1,6}(::[a-zA-Z0-9_]{1,6})?", 0..5),
        prop::collection::vec(operand(), 0..5),
    )
        .prop_map(|(guard, opcode, modifiers, operands)| Instruction { guard, opcode: opcode.into(), modifiers: modifiers.into_iter().map(Name::from).collect(), operands, loc: Loc::default() })
}

fn statement() -> impl Strategy<Value = Statement> {
    let leaf = prop_oneof![
        2 => ident().prop_map(|n| Statement::Label(n.into())),
        2 => var_decl(vec![StateSpace::Reg, StateSpace::Local, StateSpace::Shared, StateSpace::Param], false, true).prop_map(Statement::Decl),
        8 => instruction().prop_map(Statement::Instr),
        1 => (ident(), prop::collection::vec(param_decl(), 0..2), prop::collection::vec(param_decl(), 0..3))
            .prop_map(|(name, returns, params)| Statement::Prototype { name, returns, params }),
        1 => (ident(), prop::sample::select(vec!["branchtargets", "calltargets"]), prop::collection::vec(ident(), 1..4))
            .prop_map(|(name, kind, labels)| Statement::Targets { name, kind: kind.to_string(), labels }),
        1 => prop::sample::select(vec![".loc\t1 5 5", ".loc 1 9 73, function_name $L__info_string0, inlined_at 1 13 5", ".pragma \"nounroll\""])
            .prop_map(|d| Statement::Directive(d.to_string())),
    ];
    leaf.prop_recursive(2, 24, 6, |inner| prop::collection::vec(inner, 0..6).prop_map(Statement::Block))
}

fn function() -> impl Strategy<Value = Function> {
    let directive = (
        prop::sample::select(vec!["maxntid", "reqntid", "minnctapersm", "maxnreg", "maxclusterrank", "reqnctapercluster", "explicitcluster", "noreturn"]),
        prop::collection::vec(any::<u64>(), 0..4),
    )
        .prop_map(|(name, args)| FunctionDirective { name: name.to_string(), args });
    (
        prop::sample::select(vec![FunctionKind::Entry, FunctionKind::Func]),
        linkage(),
        ident(),
        prop::collection::vec(param_decl(), 0..2),
        prop::collection::vec(param_decl(), 0..4),
        prop::collection::vec(directive, 0..3),
        prop::option::of(prop::collection::vec(statement(), 0..12)),
    )
        .prop_map(|(kind, linkage, name, returns, params, directives, body)| Function {
            kind,
            linkage,
            name,
            returns,
            params,
            directives,
            body,
            loc: Loc::default(),
        })
}

fn module() -> impl Strategy<Value = Module> {
    let item = prop_oneof![
        3 => var_decl(vec![StateSpace::Global, StateSpace::Const, StateSpace::Shared, StateSpace::Local], true, false).prop_map(ModuleItem::Var),
        3 => function().prop_map(ModuleItem::Function),
        1 => prop::sample::select(vec![
            ".file 1 \"kernel.cu\", 1700000000, 1234",
            ".pragma \"nounroll\"",
            ".section .debug_str\n{\n$L__info_string0:\n.b8 95,90,0\n}",
            ".alias a, b",
        ])
        .prop_map(|d| ModuleItem::Directive(d.to_string())),
    ];
    (
        (any::<u32>(), any::<u32>()),
        prop::collection::vec("sm_[0-9]{2,3}[af]?|texmode_independent|debug", 1..3),
        prop::sample::select(vec![32u32, 64]),
        prop::collection::vec(item, 0..6),
    )
        .prop_map(|(version, target, address_size, items)| Module { version, target, address_size, items })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn generated_modules_roundtrip(m in module()) {
        let printed = print(&m);
        // SHOW_GENERATED=1 cargo test --test proptests generated -- --nocapture: eyeball the inputs.
        if std::env::var_os("SHOW_GENERATED").is_some() {
            eprintln!("=====\n{printed}");
        }
        let back = parse(&printed).unwrap_or_else(|e| panic!("{e}\n--- printed ---\n{printed}"));
        prop_assert_eq!(&back.without_locs(), &m, "printed:\n{}", printed);
        prop_assert_eq!(print(&back), printed);
    }
}
