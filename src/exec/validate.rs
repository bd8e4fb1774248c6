//! Load-time checks of a PTX module.
//!
//! NVIDIA's driver runs ptxas when a module is loaded, so broken PTX fails at
//! `cuModuleLoadData` with `CUDA_ERROR_INVALID_PTX`, not at the first launch. Kernels here are
//! compiled lazily (a GGML library holds thousands), so load time runs these cheap checks
//! instead: every opcode is a PTX instruction, operand counts fit the instruction, registers
//! are declared, branch targets exist. Messages follow ptxas's form so users recognise them.

use ptx::ir::{self, Operand, Statement};
use std::collections::{HashMap, HashSet};

/// The registers declared in a function, borrowed from its IR. `.reg .b32 %r<5000>;` is kept
/// as one range (prefix `%r`, count 5000), not expanded into 5000 names: GGML kernels declare
/// thousands, and a module holds hundreds of kernels.
#[derive(Default)]
struct Regs<'a> {
    names: HashSet<&'a str>,
    ranges: HashMap<&'a str, u32>,
}

impl Regs<'_> {
    /// Declared by name, or as `prefix` + a decimal index below the range's count (written as
    /// `format!("{prefix}{k}")` would write it: no leading zeros).
    fn contains(&self, r: &str) -> bool {
        if self.names.contains(r) {
            return true;
        }
        if self.ranges.is_empty() {
            return false;
        }
        let digits = r.bytes().rev().take_while(u8::is_ascii_digit).count();
        // A prefix may itself end in digits (`%f16<4>` declares `%f160`…): try every split.
        (r.len() - digits..r.len()).any(|p| {
            let k = &r[p..];
            (k == "0" || !k.starts_with('0'))
                && self.ranges.get(&r[..p]).is_some_and(|&n| k.parse::<u64>().is_ok_and(|k| k < u64::from(n)))
        })
    }
}

/// Every instruction opcode of PTX ISA 9.x (chapter 9), without modifiers.
const OPCODES: &[&str] = &[
    "abs", "activemask", "add", "addc", "alloca", "and", "applypriority", "atom", "bar", "barrier", "bfe", "bfi", "bfind",
    "bmsk", "bra", "brev", "brkpt", "brx", "call", "clusterlaunchcontrol", "clz", "cnot", "copysign", "cos", "cp",
    "createpolicy", "cvt", "cvta", "discard", "div", "dp2a", "dp4a", "elect", "ex2", "exit", "fence", "fma", "fns",
    "getctarank", "griddepcontrol", "isspacep", "istypep", "ld", "ldmatrix", "ldu", "lg2", "lop3", "mad", "mad24",
    "madc", "mapa", "match", "max", "mbarrier", "membar", "min", "mma", "mov", "movmatrix", "mul", "mul24",
    "multimem", "nanosleep", "neg", "not", "or", "pmevent", "popc", "prefetch", "prefetchu", "prmt", "rcp", "red",
    "redux", "rem", "ret", "rsqrt", "sad", "selp", "set", "setmaxnreg", "setp", "shf", "shfl", "shl", "shr", "sin",
    "slct", "sqrt", "st", "stackrestore", "stacksave", "stmatrix", "sub", "subc", "suld", "suq", "sured", "sust",
    "szext", "tanh", "tcgen05", "tensormap", "testp", "tex", "tld4", "trap", "txq", "vabsdiff", "vabsdiff2",
    "vabsdiff4", "vadd", "vadd2", "vadd4", "vavrg2", "vavrg4", "vmad", "vmax", "vmax2", "vmax4", "vmin", "vmin2",
    "vmin4", "vote", "vset", "vset2", "vset4", "vshl", "vshr", "vsub", "vsub2", "vsub4", "wgmma", "wmma", "xor",
    "cp.async", "st.async", "red.async", "ld.global", "setmaxreg",
];

/// (opcode, allowed operand counts) for the common instructions; others are not arity-checked.
fn arity(op: &str) -> Option<&'static [usize]> {
    Some(match op {
        "add" | "sub" | "and" | "or" | "xor" | "shl" | "shr" | "div" | "rem" | "min" | "max" | "copysign" | "addc" | "subc" => {
            if op == "min" || op == "max" {
                &[3, 4]
            } else {
                &[3]
            }
        }
        "mul" | "mul24" => &[3],
        "mad" | "mad24" | "madc" | "fma" | "selp" | "slct" | "bfe" | "sad" => &[4],
        "bfi" => &[5],
        "lop3" => &[5],
        "mov" | "not" | "cnot" | "neg" | "abs" | "popc" | "clz" | "brev" | "bfind" | "rcp" | "sqrt" | "rsqrt" | "sin" | "cos"
        | "ex2" | "lg2" | "tanh" | "cvta" | "testp" => &[2],
        "cvt" => &[2, 3, 4],
        "setp" => &[3, 4],
        // An optional cache-policy operand follows the address.
        "ld" | "ldu" | "st" => &[2, 3],
        "bra" => &[1],
        "ret" | "exit" | "trap" | "brkpt" => &[0],
        _ => return None,
    })
}

fn err(i: &ir::Instruction, msg: String) -> String {
    format!("ptxas application ptx input, line {}; error   : {msg}", i.loc.line)
}

/// Checks a parsed module; the error is the message for the JIT error log.
pub fn validate(m: &ir::Module) -> Result<(), String> {
    let opcodes: HashSet<&str> = OPCODES.iter().copied().collect();
    let mut problems = Vec::new();
    for item in &m.items {
        let ir::ModuleItem::Function(f) = item else { continue };
        let Some(body) = &f.body else { continue };
        let mut regs = Regs::default();
        let mut labels = HashSet::new();
        collect(body, &mut regs, &mut labels);
        for p in f.params.iter().chain(f.returns.iter()) {
            regs.names.insert(&p.name);
        }
        check(body, &opcodes, &regs, &labels, &mut problems);
        if problems.len() > 20 {
            break;
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        problems.push(format!("ptxas fatal   : Ptx assembly aborted due to errors ({} found)", problems.len()));
        Err(problems.join("\n"))
    }
}

/// Every register and label declared in `body`, nested blocks included (so one set per
/// function serves all its scopes).
fn collect<'a>(body: &'a [Statement], regs: &mut Regs<'a>, labels: &mut HashSet<&'a str>) {
    for s in body {
        match s {
            Statement::Decl(d) => match d.range {
                Some(n) => {
                    let c = regs.ranges.entry(&d.name).or_insert(0);
                    *c = (*c).max(n);
                }
                None => {
                    regs.names.insert(&d.name);
                }
            },
            Statement::Label(l) => {
                labels.insert(l);
            }
            Statement::Block(b) => collect(b, regs, labels),
            Statement::Targets { name, .. } | Statement::Prototype { name, .. } => {
                labels.insert(name);
            }
            _ => {}
        }
    }
}

fn is_special(r: &str) -> bool {
    const SREGS: &[&str] = &[
        "%tid", "%ntid", "%laneid", "%warpid", "%nwarpid", "%ctaid", "%nctaid", "%smid", "%nsmid", "%gridid", "%clock",
        "%clock64", "%clock_hi", "%globaltimer", "%globaltimer_lo", "%globaltimer_hi", "%dynamic_smem_size",
        "%total_smem_size", "%aggr_smem_size", "%reserved_smem_offset_begin", "%reserved_smem_offset_end",
        "%reserved_smem_offset_cap", "%reserved_smem_offset_0", "%reserved_smem_offset_1", "%lanemask_eq",
        "%lanemask_le", "%lanemask_lt", "%lanemask_ge", "%lanemask_gt", "%pm0", "%pm1", "%pm2", "%pm3", "%pm4", "%pm5",
        "%pm6", "%pm7", "%pm0_64", "%pm1_64", "%pm2_64", "%pm3_64", "%pm4_64", "%pm5_64", "%pm6_64", "%pm7_64",
        "%cluster_ctarank", "%cluster_nctarank", "%clusterid", "%nclusterid", "%cluster_ctaid", "%cluster_nctaid",
        "%is_explicit_cluster", "%current_graph_exec",
    ];
    let base = r.split('.').next().unwrap_or(r);
    SREGS.contains(&base) || base.starts_with("%envreg")
}

fn check_operand(o: &Operand, regs: &Regs, i: &ir::Instruction, out: &mut Vec<String>) {
    match o {
        Operand::Reg(r) | Operand::NotReg(r) | Operand::NegReg(r) => {
            // `%r1.h10`: a video instruction's operand with a sub-word selector
            let r = match ir::video_selector(r) {
                Some((base, _)) if regs.contains(base) => base,
                _ => r,
            };
            if !regs.contains(r) && !is_special(r) {
                out.push(err(i, format!("Unknown symbol '{r}'")));
            }
        }
        Operand::Address { base: ir::AddrBase::Reg(r), .. } => {
            if !regs.contains(r) && !is_special(r) {
                out.push(err(i, format!("Unknown symbol '{r}'")));
            }
        }
        Operand::Vector(v) | Operand::List(v) => v.iter().for_each(|x| check_operand(x, regs, i, out)),
        Operand::Pair(a, b) => {
            check_operand(a, regs, i, out);
            check_operand(b, regs, i, out);
        }
        _ => {}
    }
}

fn check(body: &[Statement], opcodes: &HashSet<&str>, regs: &Regs, labels: &HashSet<&str>, out: &mut Vec<String>) {
    for s in body {
        match s {
            // `collect` already took the declarations of nested scopes into the function's sets.
            Statement::Block(b) => check(b, opcodes, regs, labels, out),
            Statement::Instr(i) => {
                if !opcodes.contains(i.opcode.as_str()) {
                    out.push(err(i, format!("Not a name of any known instruction: '{}'", i.opcode)));
                    continue;
                }
                if let Some(ok) = arity(&i.opcode) {
                    if !ok.contains(&i.operands.len()) {
                        out.push(err(i, format!("Arity mismatch for instruction '{}'", i.opcode)));
                    }
                }
                if let Some(g) = &i.guard {
                    if !regs.contains(&g.reg) {
                        out.push(err(i, format!("Unknown symbol '{}'", g.reg)));
                    }
                }
                for o in &i.operands {
                    check_operand(o, regs, i, out);
                }
                if i.opcode == "bra" {
                    if let Some(Operand::Symbol(l)) = i.operands.first() {
                        if !labels.contains(l.as_str()) {
                            out.push(err(i, format!("Unknown symbol '{l}'")));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_src(body: &str) -> Result<(), String> {
        let src = format!(".version 7.0\n.target sm_75\n.address_size 64\n.visible .entry k(.param .u64 p)\n{{\n.reg .b32 %r<4>;\n.reg .pred %p<2>;\n{body}\n}}\n");
        validate(&ptx::parse(&src).unwrap())
    }

    #[test]
    fn accepts_valid_code() {
        check_src("mov.u32 %r1, %tid.x;\nsetp.eq.u32 %p1, %r1, 0;\n@%p1 bra L;\nadd.s32 %r2, %r1, 1;\nL:\nret;").unwrap();
    }

    #[test]
    fn rejects_unknown_instruction_with_its_line() {
        let e = check_src("frobnicate.u32 %r3, %r1;\nret;").unwrap_err();
        assert!(e.contains("line 8") && e.contains("frobnicate"), "{e}");
    }

    #[test]
    fn rejects_wrong_arity_undeclared_registers_and_labels() {
        assert!(check_src("add.s32 %r1, %r2;").unwrap_err().contains("Arity mismatch"));
        assert!(check_src("add.s32 %r1, %r2, %q9;").unwrap_err().contains("%q9"));
        assert!(check_src("bra NOWHERE;").unwrap_err().contains("NOWHERE"));
    }

    #[test]
    fn register_ranges_declare_exactly_their_names() {
        // %r<4>: %r0 … %r3; no leading zeros, nothing past the count.
        check_src("mov.u32 %r0, %r3;\nret;").unwrap();
        assert!(check_src("mov.u32 %r0, %r4;").unwrap_err().contains("'%r4'"));
        assert!(check_src("mov.u32 %r0, %r01;").unwrap_err().contains("'%r01'"));
        assert!(check_src("mov.u32 %r0, %r;").unwrap_err().contains("'%r'"));
        // A prefix that ends in digits, and a declaration inside a nested block.
        check_src(".reg .f32 %f16<12>;\nmov.f32 %f1611, %f160;\nret;").unwrap();
        assert!(check_src(".reg .f32 %f16<12>;\nmov.f32 %f1612, %f160;").unwrap_err().contains("'%f1612'"));
        check_src("{\n.reg .b64 %rd<3>;\nmov.u64 %rd2, 0;\n}\nret;").unwrap();
    }
}
