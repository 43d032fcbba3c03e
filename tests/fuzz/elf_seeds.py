#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the tiny hand-built ELF-64 seeds of fuzz_elf_load into
tests/fuzz/corpus/fuzz_elf_load/ (run from the repository root): a static
ET_EXEC with text and data+bss, the same as ET_DYN linked at 0, and one with
a PT_GNU_STACK and a PT_GNU_RELRO besides. Each ends with 8 bytes the target
reads as a load bias."""
import struct

def image(etype, base, extra_phdrs=()):
    phdrs = [
        # type, flags, offset, vaddr, filesz, memsz
        (1, 5, 0, base, 0x200, 0x200),              # PT_LOAD R+X
        (1, 6, 0x200, base + 0x1200, 0x40, 0x2000),  # PT_LOAD R+W with bss
    ] + list(extra_phdrs)
    ehdr = struct.pack('<4sBBBB8xHHIQQQIHHHHHH', b'\x7fELF', 2, 1, 1, 0, etype, 62, 1,
                       base + 0x100, 64, 0, 0, 64, 56, len(phdrs), 64, 0, 0)
    ph = b''.join(struct.pack('<IIQQQQQQ', t, f, o, v, v, fs, ms, 0x1000)
                  for (t, f, o, v, fs, ms) in phdrs)
    body = (ehdr + ph).ljust(0x240, b'\x90')
    return body + struct.pack('<Q', 0x7f0000000000)

seeds = {
    'exec': image(2, 0x400000),
    'dyn': image(3, 0),
    'exec-gnu': image(2, 0x400000, [(0x6474e551, 6, 0, 0, 0, 0),
                                     (0x6474e552, 4, 0x200, 0x401200, 0x40, 0x40)]),
}
for name, data in seeds.items():
    with open('tests/fuzz/corpus/fuzz_elf_load/' + name, 'wb') as f:
        f.write(data)
