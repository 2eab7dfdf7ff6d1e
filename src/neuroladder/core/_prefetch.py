"""Software prefetch for numba kernels: ``prefetch(a, i)`` asks the CPU to bring element ``i`` of the
1-D array ``a`` into its caches without waiting for it (LLVM's ``llvm.prefetch``: a read, kept in all
cache levels). Loops that follow chains of indices through large tables (a spike's unit -> its segments
-> its targets) are bound by memory latency, one miss after another; prefetching the next entries'
links while the current one is worked on overlaps those misses. A hint only: no effect on results.
"""

from __future__ import annotations

from numba import config, types
from numba.core import cgutils
from numba.extending import intrinsic

if config.DISABLE_JIT:  # the pure-Python reference path: a hint with nothing to do

    def prefetch(ary, idx):
        return None

else:
    import llvmlite.ir as ir

    @intrinsic
    def prefetch(typingctx, ary, idx):
        if not (isinstance(ary, types.Array) and ary.ndim == 1 and isinstance(idx, types.Integer)):
            return None

        def codegen(context, builder, signature, args):
            aryty, idxty = signature.args
            arr = context.make_array(aryty)(context, builder, args[0])
            index = context.cast(builder, args[1], idxty, types.intp)
            ptr = cgutils.get_item_pointer(context, builder, aryty, arr, [index], wraparound=False)
            i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
                                                "llvm.prefetch.p0")
            # (address, 0 = read, 3 = keep in all cache levels, 1 = data cache)
            builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
            return context.get_dummy_value()

        return types.void(ary, idx), codegen
