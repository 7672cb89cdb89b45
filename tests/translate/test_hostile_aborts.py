"""What would kill the process instead of raising: allocations an argument sizes, and
recursion on a thread with a small stack.

Allocations sized by an argument, under a memory limit: MemoryError, never an abort.

A Rust allocation that fails aborts the process (``handle_alloc_error``), and an abort
kills pytest with it. So the runtime reserves what an argument sizes (``[0.0] * n``,
``xs * n``, ``s * n``, ``str.zfill``/``ljust``/``rjust``/``center`` to a width) with
``try_reserve``, and raises MemoryError as CPython does, or hands the call to Python.

The calls run in a subprocess whose address space is limited (``RLIMIT_AS``) to a little
more than it uses, so that the allocations fail here whatever the machine's memory. The
subprocess loads the corpus crate already built for this session, with the Python
originals registered for the fallbacks, and prints one line per call: Python's outcome
and Rust's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Corpus

resource = pytest.importorskip("resource")
CORPUS = Path(__file__).resolve().parent / "corpus"

CHILD = r"""
import importlib.machinery, importlib.util, json, resource, sys
so_path, so_name, corpus_dir, calls = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
loader = importlib.machinery.ExtensionFileLoader(so_name, so_path)
spec = importlib.util.spec_from_file_location(so_name, so_path, loader=loader)
ext = importlib.util.module_from_spec(spec)
loader.exec_module(ext)
originals = {}
for stem in ("seqs", "texts"):
    spec = importlib.util.spec_from_file_location("hostile_mem_" + stem, f"{corpus_dir}/{stem}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    originals.update(vars(mod))
with open("/proc/self/status") as f:
    vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
# A little more than the process maps now: every allocation below asks for far more.
resource.setrlimit(resource.RLIMIT_AS, (vm + 512 * 2**20, resource.RLIM_INFINITY))
for name, args in calls:
    ext.__rustify_originals__[name] = originals[name]
    line = {"call": f"{name}{tuple(args)}"}
    for side, fn in (("python", originals[name]), ("rust", getattr(ext, name))):
        before = ext.__rustify_fallbacks__()[name]
        try:
            fn(*args)
            line[side] = "returned"
        except BaseException as exc:
            line[side] = type(exc).__name__
        if side == "rust":
            line["fell_back"] = ext.__rustify_fallbacks__()[name] - before
    print(json.dumps(line), flush=True)
print("done", flush=True)
"""

CALLS = [
    ("zeros", [2**27]),  # 1 GiB of floats
    ("zeros", [2**40]),
    ("list_repeat", [[1, 2], 2**27]),
    ("str_repeat", ["abc", 2**29]),  # 2 GiB of text
    ("zero_pad", [7, 2**31]),  # a 2 GiB str: Rust reserves it before padding
    ("pads", ["x", 2**31 - 5]),
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_allocations_past_the_memory_limit_raise_memory_error(corpus: Corpus) -> None:
    for name, _ in CALLS:
        corpus.rust(name)  # in the crate
    module_file = corpus.module.__file__
    assert module_file is not None
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            module_file,
            corpus.module.__name__,
            str(CORPUS),
            json.dumps(CALLS),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # An abort would end the child with SIGABRT before "done".
    assert done.returncode == 0 and done.stdout.rstrip().endswith("done"), (
        f"exit {done.returncode}\n{done.stdout}\n{done.stderr[-3000:]}"
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()[:-1]]
    assert len(lines) == len(CALLS)
    for line in lines:
        assert line["python"] == "MemoryError", line
        assert line["rust"] == "MemoryError", line


STACK_CHILD = r"""
import importlib.machinery, importlib.util, sys, threading
loader = importlib.machinery.ExtensionFileLoader(sys.argv[2], sys.argv[1])
ext = importlib.util.module_from_spec(importlib.util.spec_from_loader(sys.argv[2], loader))
loader.exec_module(ext)
spec = importlib.util.spec_from_file_location("hostile_stack_helpers", sys.argv[3])
helpers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(helpers)
ext.__rustify_originals__["depth_sum"] = helpers.depth_sum
threading.stack_size(int(sys.argv[4]))
out = []

def run():
    before = ext.__rustify_fallbacks__()["depth_sum"]
    value = ext.depth_sum(list(range(499)), 0)
    out.append(f"{value} {ext.__rustify_fallbacks__()['depth_sum'] - before}")

thread = threading.Thread(target=run)
thread.start()
thread.join()
print(out[0])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the stack is read on Linux")
@pytest.mark.parametrize("stack", [32 * 1024, 64 * 1024, 8 * 2**20])
def test_recursion_on_a_small_thread_stack_falls_back(corpus: Corpus, stack: int) -> None:
    """Found: ``depth_sum(list(range(499)), 0)`` in a thread of 32 or 64 KiB of stack
    (``threading.stack_size``) overflowed it in Rust, within the bound of 500 levels, and
    the process died of SIGSEGV. Python's calls between Python functions take no C stack,
    so Python computes it; the Rust recursion now falls back near the stack's end."""
    module_file = corpus.module.__file__
    assert module_file is not None
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            STACK_CHILD,
            module_file,
            corpus.module.__name__,
            str(CORPUS / "helpers.py"),
            str(stack),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, f"exit {child.returncode}\n{child.stderr[-2000:]}"
    value, fell_back = child.stdout.split()
    assert int(value) == sum(range(499))
    # A small stack hands the call to Python; the default one keeps it in Rust.
    assert int(fell_back) == (1 if stack < 2**20 else 0)
