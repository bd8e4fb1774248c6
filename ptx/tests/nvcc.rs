//! Real compiler output: every kernel in tests/data/*.cu must parse and round-trip.
//!
//! Two sources of PTX:
//! - the committed fixtures in tests/data/ptx/ (made by tests/data/regen.sh with CUDA 13.5),
//!   always checked, so the test means something without a CUDA toolkit;
//! - fresh `nvcc -ptx` output for compute_75 and compute_90 (plus -lineinfo and -G flavours),
//!   when nvcc is found (`$CUEMU_CUDA_HOME/bin/nvcc` or on `PATH`); skipped with a message
//!   otherwise.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use ptx::{ModuleItem, Operand, Statement};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn cu_sources() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .expect("tests/data")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cu"))
        .collect();
    v.sort();
    v
}

fn find_nvcc() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CUEMU_CUDA_HOME") {
        let p = Path::new(&home).join("bin/nvcc");
        if p.is_file() {
            return Some(p);
        }
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("nvcc")).find(|p| p.is_file())
}

/// Structural checks that hold for every nvcc module (beyond round-tripping).
fn check_nvcc_module(name: &str, m: &ptx::Module) {
    assert!(m.version.0 >= 7, "{name}: version {:?}", m.version);
    assert!(m.target.iter().any(|t| t.starts_with("sm_")), "{name}: target {:?}", m.target);
    assert_eq!(m.address_size, 64, "{name}");
    let entries = m
        .items
        .iter()
        .filter(|i| matches!(i, ModuleItem::Function(f) if f.kind == ptx::FunctionKind::Entry && f.body.is_some()))
        .count();
    assert!(entries >= 1, "{name}: no kernel");
    for ins in common::instructions(m) {
        assert!(ins.loc.line > 0 && ins.loc.col > 0, "{name}: instruction without a location: {ins:?}");
        assert!(!ins.opcode.is_empty() && !ins.opcode.contains('.'), "{name}: opcode {:?}", ins.opcode);
    }
}

#[test]
fn committed_fixtures_parse_and_roundtrip() {
    let dir = data_dir().join("ptx");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/data/ptx")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ptx"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "expected the committed fixtures, found {}", files.len());
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let src = std::fs::read_to_string(f).unwrap();
        let m = common::roundtrip(&name, &src);
        check_nvcc_module(&name, &m);
    }
    eprintln!("{} committed nvcc fixtures parsed and round-tripped", files.len());
}

#[test]
fn fresh_nvcc_output_parses_and_roundtrips() {
    let Some(nvcc) = find_nvcc() else {
        eprintln!("SKIPPED: nvcc not found (set CUEMU_CUDA_HOME or put nvcc on PATH; `source ~/.cache/cuemu/env.sh`)");
        return;
    };
    let out_dir = std::env::temp_dir().join(format!("cuemu-ptx-nvcc-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut jobs: Vec<(PathBuf, Vec<String>, PathBuf)> = Vec::new();
    for src in cu_sources() {
        let stem = src.file_stem().unwrap().to_string_lossy().to_string();
        for arch in ["75", "90"] {
            jobs.push((src.clone(), vec![format!("-arch=compute_{arch}")], out_dir.join(format!("{stem}.sm{arch}.ptx"))));
        }
        // Debug flavours for a few: .loc/.file/.section with -lineinfo and -G.
        if matches!(stem.as_str(), "indirect_call" | "sgemm_tiled" | "printf_kernel") {
            jobs.push((src.clone(), vec!["-arch=compute_90".into(), "-lineinfo".into()], out_dir.join(format!("{stem}.lineinfo.ptx"))));
            jobs.push((src.clone(), vec!["-arch=compute_75".into(), "-G".into()], out_dir.join(format!("{stem}.debug.ptx"))));
        }
    }
    // Two compilers at a time: the CI box has few cores.
    let mut failures = Vec::new();
    for chunk in jobs.chunks(2) {
        let handles: Vec<_> = chunk
            .iter()
            .map(|(src, args, out)| {
                Command::new(&nvcc).arg("-ptx").args(args).arg(src).arg("-o").arg(out).output().map(|o| (o, out.clone()))
            })
            .collect();
        for h in handles {
            match h {
                Ok((o, _)) if o.status.success() => {}
                Ok((o, out)) => failures.push(format!("{}: {}", out.display(), String::from_utf8_lossy(&o.stderr))),
                Err(e) => failures.push(format!("spawning nvcc: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "nvcc failed:\n{}", failures.join("\n"));
    let mut n = 0;
    for (_, _, out) in &jobs {
        let name = out.file_name().unwrap().to_string_lossy().to_string();
        let src = std::fs::read_to_string(out).unwrap();
        let m = common::roundtrip(&name, &src);
        check_nvcc_module(&name, &m);
        n += 1;
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    eprintln!("{n} fresh nvcc outputs parsed and round-tripped");
}

/// The printer must produce PTX that NVIDIA's assembler accepts, not just PTX we can read back.
#[test]
fn printed_fixtures_assemble_with_ptxas() {
    let Some(ptxas) = find_nvcc().map(|p| p.with_file_name("ptxas")).filter(|p| p.is_file()) else {
        eprintln!("SKIPPED: ptxas not found next to nvcc");
        return;
    };
    let out_dir = std::env::temp_dir().join(format!("cuemu-ptx-ptxas-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut n = 0;
    for f in std::fs::read_dir(data_dir().join("ptx")).unwrap() {
        let f = f.unwrap().path();
        let m = ptx::parse(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let arch = m.target.iter().find(|t| t.starts_with("sm_")).unwrap().clone();
        let printed = out_dir.join(f.file_name().unwrap());
        std::fs::write(&printed, ptx::print(&m)).unwrap();
        let o = Command::new(&ptxas).arg(format!("-arch={arch}")).arg(&printed).arg("-o").arg(out_dir.join("out.cubin")).output().unwrap();
        assert!(o.status.success(), "ptxas rejected printed {}:\n{}", f.display(), String::from_utf8_lossy(&o.stderr));
        n += 1;
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    eprintln!("ptxas accepted {n} printed modules");
}

fn fixture(name: &str) -> ptx::Module {
    let src = std::fs::read_to_string(data_dir().join("ptx").join(name)).unwrap();
    ptx::parse(&src).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn printf_call_shape() {
    let m = fixture("printf_kernel.sm75.ptx");
    let ModuleItem::Function(vprintf) = &m.items.iter().find(|i| matches!(i, ModuleItem::Function(f) if f.name == "vprintf")).unwrap() else {
        unreachable!()
    };
    assert!(vprintf.body.is_none());
    assert_eq!(vprintf.linkage, ptx::Linkage::Extern);
    assert_eq!(vprintf.returns.len(), 1);
    assert_eq!(vprintf.params.len(), 2);
    let call = common::instructions(&m).into_iter().find(|i| i.opcode == "call").expect("a call");
    assert_eq!(call.modifiers, ["uni"]);
    assert_eq!(
        call.operands,
        vec![
            Operand::List(vec![Operand::Symbol("retval0".into())]),
            Operand::Symbol("vprintf".into()),
            Operand::List(vec![Operand::Symbol("param0".into()), Operand::Symbol("param1".into())]),
        ]
    );
    // The call sits in a nested block with its .param declarations.
    let ModuleItem::Function(hello) = m.items.iter().find(|i| matches!(i, ModuleItem::Function(f) if f.name == "hello")).unwrap() else {
        unreachable!()
    };
    let block = hello.body.as_ref().unwrap().iter().find_map(|s| if let Statement::Block(b) = s { Some(b) } else { None }).unwrap();
    assert!(block.iter().any(|s| matches!(s, Statement::Decl(d) if d.name == "param0" && d.space == ptx::StateSpace::Param)));
}

#[test]
fn indirect_call_shape() {
    let m = fixture("indirect_call.lineinfo.ptx");
    let call = common::instructions(&m).into_iter().find(|i| i.opcode == "call").expect("a call");
    assert!(matches!(&call.operands[..], [Operand::List(_), Operand::Reg(r), Operand::List(_), Operand::Symbol(p)] if r.starts_with("%rd") && p.starts_with("prototype_")));
    let all: Vec<_> = m
        .items
        .iter()
        .filter_map(|i| if let ModuleItem::Function(f) = i { f.body.as_ref() } else { None })
        .flat_map(|b| common::flatten(b))
        .collect();
    assert!(all.iter().any(|s| matches!(s, Statement::Prototype { name, returns, params } if name == "prototype_0" && returns.len() == 1 && params.len() == 1)));
    assert!(all.iter().any(|s| matches!(s, Statement::Directive(d) if d.starts_with(".loc") && d.contains("inlined_at"))));
    assert!(m.items.iter().any(|i| matches!(i, ModuleItem::Directive(d) if d.starts_with(".section") && d.ends_with('}'))));
    assert!(m.items.iter().any(|i| matches!(i, ModuleItem::Directive(d) if d.starts_with(".file"))));
    // The function-pointer table is initialized with function symbols.
    assert!(m.items.iter().any(|i| matches!(i, ModuleItem::Var(v) if v.name == "table" && v.init.as_ref().is_some_and(|i| i.flat_len() == 2))));
}

#[test]
fn texture_and_surface_bracket_lists() {
    let m = fixture("texture_surface.sm75.ptx");
    let ins = common::instructions(&m);
    let tex = ins.iter().find(|i| i.opcode == "tex" && i.has("2d")).unwrap();
    assert!(matches!(&tex.operands[1], Operand::BracketList(v) if matches!(&v[..], [Operand::Reg(_), Operand::Vector(c)] if c.len() == 2)));
    let sust = ins.iter().find(|i| i.opcode == "sust").unwrap();
    assert!(matches!(&sust.operands[0], Operand::BracketList(_)));
}

#[test]
fn inline_asm_scope_with_bare_predicate_and_label() {
    let m = fixture("assert_asm.sm75.ptx");
    let ModuleItem::Function(k) = m.items.iter().find(|i| matches!(i, ModuleItem::Function(f) if f.body.is_some())).unwrap() else { unreachable!() };
    let asm = k
        .body
        .as_ref()
        .unwrap()
        .iter()
        .find_map(|s| match s {
            Statement::Block(b) if b.iter().any(|s| matches!(s, Statement::Label(l) if l == "WAIT_LOOP")) => Some(b),
            _ => None,
        })
        .expect("the inline asm scope");
    assert!(asm.iter().any(|s| matches!(s, Statement::Decl(d) if d.name == "P1" && d.ty == ptx::Type::Pred)));
    assert!(asm.iter().any(|s| matches!(s, Statement::Instr(i) if i.opcode == "bra"
        && i.guard == Some(ptx::Guard { negated: false, reg: "P1".into() })
        && i.operands == [Operand::Symbol("WAIT_LOOP".into())])));
    // __assertfail is declared without a body and called.
    assert!(m.items.iter().any(|i| matches!(i, ModuleItem::Function(f) if f.name == "__assertfail" && f.body.is_none() && f.params.len() == 5)));
    let ins = common::instructions(&m);
    assert!(ins.iter().any(|i| i.opcode == "atom" && i.modifiers == ["global", "cas", "b16"]));
    assert!(ins.iter().any(|i| i.opcode == "nanosleep"));
}

#[test]
fn globals_initializers() {
    let m = fixture("globals_init.sm90.ptx");
    let var = |n: &str| {
        m.items
            .iter()
            .find_map(|i| if let ModuleItem::Var(v) = i { (v.name == n).then_some(v) } else { None })
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(
        var("ptr_into").init,
        Some(ptx::Init::Scalar(ptx::Constant::Symbol { name: "target_array".into(), offset: 12, generic: true }))
    );
    assert_eq!(var("big").init, Some(ptx::Init::Scalar(ptx::Constant::Int(0xfedcba9876543210u64 as i64))));
    assert_eq!(var("coeffs").space, ptx::StateSpace::Const);
    assert_eq!(var("managed_counter").attrs, [".attribute(.managed)"]);
}

#[test]
fn kernel_performance_directives() {
    let m = fixture("sgemm_tiled.sm90.ptx");
    let ModuleItem::Function(k) = m.items.iter().find(|i| matches!(i, ModuleItem::Function(_))).unwrap() else { unreachable!() };
    assert_eq!(k.directives[0], ptx::FunctionDirective { name: "maxntid".into(), args: vec![256, 1, 1] });
    assert_eq!(k.directives[1], ptx::FunctionDirective { name: "minnctapersm".into(), args: vec![2] });
    let m = fixture("cluster_wmma.sm90.ptx");
    let k = m
        .items
        .iter()
        .find_map(|i| if let ModuleItem::Function(f) = i { (f.name == "cluster_kernel").then_some(f) } else { None })
        .unwrap();
    assert_eq!(k.directives[0].name, "explicitcluster");
    assert_eq!(k.directives[1], ptx::FunctionDirective { name: "reqnctapercluster".into(), args: vec![2, 1, 1] });
}
