//! Which registers never carry a value from one basic block to another.
//!
//! A register write under an execution mask is `select(mask, new, old)`: lanes that are not
//! running keep their old value, because they may read it later. That keeps every register's
//! old value alive across loops and makes every PTX register a loop-carried vector — in an
//! unrolled loop, dozens of 512-bit vectors, most of them spilled.
//!
//! The old value is only ever observed by a read that no write in the same block precedes —
//! i.e. if the register is live on entry to some block. A register that is live-in nowhere
//! ("block-local") is always written in a block before that block reads it, by the same lanes,
//! so its writes can overwrite all lanes: parked lanes will rewrite it before they read it.
//! Guarded writes (`@p`) do not kill a register: lanes without `p` keep the old value.

use ptx::ir::{self, Operand};
use std::collections::HashSet;

/// Does the instruction write its first operand?
fn writes_first_operand(op: &str) -> bool {
    !matches!(
        op,
        "st" | "red" | "bar" | "barrier" | "bra" | "brx" | "call" | "ret" | "exit" | "trap" | "brkpt" | "membar" | "fence"
            | "prefetch" | "prefetchu" | "nanosleep" | "pmevent" | "discard" | "applypriority" | "cp" | "sust" | "sured"
            | "stmatrix" | "mbarrier" | "wgmma" | "tensormap" | "griddepcontrol" | "setmaxnreg" | "multimem"
    )
}

fn regs_in(o: &Operand, out: &mut Vec<String>) {
    match o {
        Operand::Reg(r) | Operand::NotReg(r) | Operand::NegReg(r) => {
            out.push(ptx::ir::video_selector(r).map_or_else(|| r.to_string(), |(base, _)| base.to_string()))
        }
        Operand::Address { base: ir::AddrBase::Reg(r), .. } => out.push(r.to_string()),
        Operand::Vector(v) | Operand::List(v) => v.iter().for_each(|x| regs_in(x, out)),
        Operand::Pair(a, b) => {
            regs_in(a, out);
            regs_in(b, out);
        }
        _ => {}
    }
}

/// Registers read and (unconditionally) written by one instruction.
fn uses_defs(i: &ir::Instruction) -> (Vec<String>, Vec<String>) {
    let mut uses = Vec::new();
    let mut defs = Vec::new();
    if let Some(g) = &i.guard {
        uses.push(g.reg.to_string());
    }
    for (k, o) in i.operands.iter().enumerate() {
        if k == 0 && writes_first_operand(&i.opcode) {
            let mut d = Vec::new();
            regs_in(o, &mut d);
            if i.guard.is_none() {
                defs.extend(d);
            } else {
                // A guarded write keeps the other lanes' value: a use, in effect.
                uses.extend(d);
            }
        } else {
            regs_in(o, &mut uses);
        }
    }
    (uses, defs)
}

/// `blocks[b]` holds block b's instructions; `succs[b]` its successor blocks.
pub fn block_local_registers(blocks: &[Vec<&ir::Instruction>], succs: &[Vec<usize>]) -> HashSet<String> {
    let n = blocks.len();
    let mut gen: Vec<HashSet<String>> = vec![HashSet::new(); n];
    let mut kill: Vec<HashSet<String>> = vec![HashSet::new(); n];
    let mut all = HashSet::new();
    for (b, instrs) in blocks.iter().enumerate() {
        for i in instrs {
            let (uses, defs) = uses_defs(i);
            for u in uses {
                if !kill[b].contains(&u) {
                    gen[b].insert(u.clone());
                }
                all.insert(u);
            }
            for d in defs {
                kill[b].insert(d.clone());
                all.insert(d);
            }
        }
    }
    let mut live_in: Vec<HashSet<String>> = gen.clone();
    let mut changed = true;
    while changed {
        changed = false;
        for b in (0..n).rev() {
            let mut out: HashSet<String> = HashSet::new();
            for &s in &succs[b] {
                out.extend(live_in[s].iter().cloned());
            }
            let mut inn = gen[b].clone();
            inn.extend(out.into_iter().filter(|r| !kill[b].contains(r)));
            if inn.len() != live_in[b].len() {
                live_in[b] = inn;
                changed = true;
            }
        }
    }
    let live_anywhere: HashSet<&String> = live_in.iter().flatten().collect();
    all.into_iter().filter(|r| !live_anywhere.contains(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(src: &str) -> ir::Function {
        let m = ptx::parse(&format!(
            ".version 7.0\n.target sm_75\n.address_size 64\n.visible .entry k()\n{{\n.reg .b32 %r<9>;\n.reg .pred %p<3>;\n{src}\n}}"
        ))
        .unwrap();
        m.items
            .into_iter()
            .find_map(|i| match i {
                ir::ModuleItem::Function(f) => Some(f),
                _ => None,
            })
            .unwrap()
    }

    fn instrs(f: &ir::Function) -> Vec<&ir::Instruction> {
        f.body
            .as_ref()
            .unwrap()
            .iter()
            .filter_map(|s| match s {
                ir::Statement::Instr(i) => Some(i),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn temporaries_are_block_local_and_loop_carried_values_are_not() {
        // b0: r1 = 0 | b1 (loop): r2 = r1 * 2 (temp); r1 += 1; p = r1 < 10; @p bra b1 | b2: ret
        let f = body("mov.u32 %r1, 0;\nL:\nmul.lo.u32 %r2, %r1, 2;\nadd.u32 %r1, %r1, 1;\nsetp.lt.u32 %p1, %r1, 10;\n@%p1 bra L;\nret;");
        let all = instrs(&f);
        let blocks = vec![all[0..1].to_vec(), all[1..5].to_vec(), all[5..6].to_vec()];
        let succs = vec![vec![1], vec![1, 2], vec![]];
        let local = block_local_registers(&blocks, &succs);
        assert!(local.contains("%r2") && local.contains("%p1"), "{local:?}");
        assert!(!local.contains("%r1"), "{local:?}");
    }

    #[test]
    fn guarded_writes_do_not_kill() {
        let f = body("@%p1 mov.u32 %r3, 1;\nadd.u32 %r4, %r3, 1;\nret;");
        let all = instrs(&f);
        let local = block_local_registers(&[all.clone()], &[vec![]]);
        assert!(!local.contains("%r3"), "{local:?}");
        assert!(local.contains("%r4"), "{local:?}");
    }
}
