package dev.kiln.cuda;

import dev.kiln.DeviceUnavailableException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulated driver: kernels are the same {@code kernels/src/*.cu} sources compiled for the host
 * against Kiln's SIMT emulator ({@code libkiln_emu.so}), launched by name through
 * {@code kiln_emu_launch} with the {@code void**} argument array {@link LaunchArgs} builds for
 * {@code cuLaunchKernel}. Device memory is host memory; launches and copies are synchronous.
 * Vendor libraries (cuBLAS) do not exist here.
 *
 * <p>The emulated device has a size ({@code kiln.cuda.emulator.memory}, default 80 GiB): an
 * allocation that would take the live blocks beyond it fails with CUDA_ERROR_OUT_OF_MEMORY as
 * {@code cuMemAlloc} does on a full card, so the caching allocator frees its cache, retries, and
 * then reports the device full. Since device memory is host memory, a large allocation (64 MiB or
 * more) the host cannot back at that moment ({@code MemAvailable} in {@code /proc/meminfo}) fails
 * the same way, naming the host, instead of letting the kernel's OOM killer end the JVM later.
 *
 * <p>Streams are ordered queues that run each operation as it is queued, so every stream is
 * always drained: synchronising, waiting on an event and event ordering across streams hold
 * trivially. Handles are still checked: an operation on a stream or event that was never created
 * or was destroyed fails naming the call, as on the real driver. Events are host timestamps.
 */
final class EmulatorDriver implements CudaDriver {

    private record EmuFunction(String family, String name, String signature) implements Function {
    }

    private static boolean opened;

    private final Map<String, EmuFunction> functions = new ConcurrentHashMap<>();
    private final Map<Long, Long> events = new ConcurrentHashMap<>();
    /** Events created without timing ({@code CU_EVENT_DISABLE_TIMING}). */
    private final Set<Long> untimed = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextEvent = new AtomicLong(1);
    private final Set<Long> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextStream = new AtomicLong(0x5000);
    private final String library;
    /** The emulated device's size, and the size of every live block. */
    private final long capacity;
    private final Map<Long, Long> blocks = new ConcurrentHashMap<>();
    private final AtomicLong used = new AtomicLong();
    /** Requests at least this large are checked against the host's available memory. */
    static final long HOST_CHECK_BYTES = 64L << 20;

    EmulatorDriver(CudaOptions options) {
        String lib;
        synchronized (EmulatorDriver.class) {
            Path jni = NativeLibraries.locate(NativeLibraries.JNI);
            String override = options.emulatorLibrary();
            Path emu = override != null ? Path.of(override) : NativeLibraries.locate(NativeLibraries.EMULATOR);
            if (!opened) {
                try {
                    System.load(jni.toString());
                } catch (UnsatisfiedLinkError e) {
                    throw new DeviceUnavailableException("CUDA emulator is unavailable: cannot load " + jni + ": " + e.getMessage(), e);
                }
                String err = EmulatorNative.open(emu.toString());
                if (err != null) {
                    throw new DeviceUnavailableException("CUDA emulator is unavailable: cannot open the SIMT emulator library "
                            + emu + ": " + err);
                }
                opened = true;
                if (options.emulatorSeed() != null) {
                    EmulatorNative.setSeed(options.emulatorSeed());
                }
            }
            lib = emu.toString();
        }
        this.library = lib;
        this.capacity = options.emulatorMemory();
    }

    @Override
    public String name() {
        return "emulator";
    }

    @Override
    public String describe() {
        int n = EmulatorNative.kernelNames().split("\n").length;
        return "Kiln SIMT emulator (host memory as device memory, device size " + capacity + " bytes ("
                + CachingAllocator.human(capacity) + ", " + CudaOptions.EMULATOR_MEMORY + "), " + n + " kernels in " + library
                + "), no cuBLAS";
    }

    @Override
    public int computeCapability() {
        return 80;
    }

    @Override
    public boolean hasVendorLibraries() {
        return false;
    }

    @Override
    public Function function(String family, String name) {
        EmuFunction f = functions.get(name);
        if (f != null) {
            return f;
        }
        String sig = EmulatorNative.signature(name);
        if (sig == null) {
            throw new CudaException("kernel '" + name + "' not found in family '" + family + "': the emulator library "
                    + library + " has no such entry point (is it registered with KILN_KERNEL_REGISTER, and is "
                    + family + ".cu built into the library?)");
        }
        f = new EmuFunction(family, name, sig);
        functions.put(name, f);
        return f;
    }

    @Override
    public long malloc(long bytes) {
        long n = Math.max(bytes, 1);
        String call = "emulated cuMemAlloc(" + bytes + " bytes)";
        long now = used.addAndGet(n);
        if (now > capacity || now < 0) {
            used.addAndGet(-n);
            throw new CudaException(call + " failed: CUDA_ERROR_OUT_OF_MEMORY (2): the emulated device holds " + capacity
                    + " bytes (" + CudaOptions.EMULATOR_MEMORY + "), " + (now - n) + " of them allocated", OUT_OF_MEMORY);
        }
        long available = n >= HOST_CHECK_BYTES ? hostAvailable() : Long.MAX_VALUE;
        long p = n <= available ? EmulatorNative.malloc(n) : 0;
        if (p == 0) {
            used.addAndGet(-n);
            throw new CudaException(call + " failed: CUDA_ERROR_OUT_OF_MEMORY (2): the host cannot back it (device memory is host"
                    + " memory here; " + (available == Long.MAX_VALUE ? "malloc failed" : available + " bytes available to"
                    + " allocate in /proc/meminfo") + ")", OUT_OF_MEMORY);
        }
        blocks.put(p, n);
        return p;
    }

    private static final int OUT_OF_MEMORY = 2;

    /** {@code MemAvailable} from {@code /proc/meminfo} in bytes, or {@code Long.MAX_VALUE} when unknown. */
    static long hostAvailable() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or no such line: no host check
        }
        return Long.MAX_VALUE;
    }

    /** Bytes of device memory the emulated device holds ({@code kiln.cuda.emulator.memory}). */
    long capacity() {
        return capacity;
    }

    @Override
    public void free(long ptr) {
        Long n = blocks.remove(ptr);
        if (n == null) {
            throw new CudaException("emulated cuMemFree(0x" + Long.toHexString(ptr) + ") failed: not a live allocation:"
                    + " CUDA_ERROR_INVALID_VALUE (1)", 1);
        }
        used.addAndGet(-n);
        EmulatorNative.free(ptr);
    }

    /** Checks that {@code stream} is the default stream or one created here and not destroyed. */
    private void stream(long stream, String call) {
        if (stream != DEFAULT_STREAM && !streams.contains(stream)) {
            throw new CudaException("emulated " + call + " failed: stream 0x" + Long.toHexString(stream)
                    + " is not a live stream of this driver (never created or already destroyed): CUDA_ERROR_INVALID_HANDLE (400)", 400);
        }
    }

    private void event(long event, String call) {
        if (!events.containsKey(event)) {
            throw new CudaException("emulated " + call + " failed: event 0x" + Long.toHexString(event)
                    + " is not a live event of this driver (never created or already destroyed): CUDA_ERROR_INVALID_HANDLE (400)", 400);
        }
    }

    @Override
    public void copyHtoDAsync(long stream, long dst, Object array, long arrayOffset, long bytes) {
        stream(stream, "cuMemcpyHtoDAsync(0x" + Long.toHexString(dst) + ", " + bytes + " bytes, stream 0x" + Long.toHexString(stream) + ")");
        EmulatorNative.copyFromArray(array, arrayOffset, dst, bytes);
    }

    @Override
    public void copyDtoH(long stream, Object array, long arrayOffset, long src, long bytes) {
        stream(stream, "cuMemcpyDtoHAsync(0x" + Long.toHexString(src) + ", " + bytes + " bytes, stream 0x" + Long.toHexString(stream) + ")");
        EmulatorNative.copyToArray(src, array, arrayOffset, bytes);
    }

    @Override
    public void copyDtoDAsync(long stream, long dst, long src, long bytes) {
        stream(stream, "cuMemcpyDtoDAsync(0x" + Long.toHexString(dst) + ", 0x" + Long.toHexString(src) + ", " + bytes
                + " bytes, stream 0x" + Long.toHexString(stream) + ")");
        EmulatorNative.copy(dst, src, bytes);
    }

    @Override
    public void memsetD8Async(long stream, long dst, byte value, long bytes) {
        stream(stream, "cuMemsetD8Async(0x" + Long.toHexString(dst) + ", " + bytes + " bytes, stream 0x" + Long.toHexString(stream) + ")");
        EmulatorNative.memsetD8(dst, value, bytes);
    }

    @Override
    public void memsetD32Async(long stream, long dst, int value, long count) {
        stream(stream, "cuMemsetD32Async(0x" + Long.toHexString(dst) + ", " + count + " words, stream 0x" + Long.toHexString(stream) + ")");
        EmulatorNative.memsetD32(dst, value, count);
    }

    @Override
    public long address(ByteBuffer direct) {
        return EmulatorNative.address(direct);
    }

    @Override
    public void launch(long stream, Function f, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, LaunchArgs args) {
        EmuFunction ef = (EmuFunction) f;
        stream(stream, "cuLaunchKernel(" + f.name() + " [" + f.family() + "], stream 0x" + Long.toHexString(stream) + ")");
        int expected = parameterCount(ef.signature());
        if (expected != args.count()) {
            throw new CudaException("emulated cuLaunchKernel(" + f.name() + ") got " + args.count()
                    + " arguments, the kernel takes " + expected + " (" + ef.signature() + "): args " + args.describe());
        }
        String err = EmulatorNative.launch(f.name(), gx, gy, gz, bx, by, bz, sharedBytes, args.pointerArray());
        if (err != null) {
            throw new CudaException("emulated cuLaunchKernel(" + f.name() + ", grid=(" + gx + "," + gy + "," + gz
                    + "), block=(" + bx + "," + by + "," + bz + "), smem=" + sharedBytes + ", args=" + args.describe()
                    + ") failed: " + err);
        }
    }

    /** Number of top-level parameters in a signature such as {@code "float const*, float*, long long"}. */
    static int parameterCount(String signature) {
        return parameters(signature).size();
    }

    /** The top-level parameter types of a signature, split at commas outside {@code <>}, {@code ()} and {@code []}. */
    static List<String> parameters(String signature) {
        String s = signature.trim();
        List<String> out = new ArrayList<>();
        if (s.isEmpty() || s.equals("void")) {
            return out;
        }
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '<' || ch == '(' || ch == '[') {
                depth++;
            } else if (ch == '>' || ch == ')' || ch == ']') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(s.substring(start).trim());
        return out;
    }

    @Override
    public void synchronize() {
        // every stream runs its work as it is queued
    }

    @Override
    public long streamCreate() {
        long id = nextStream.getAndIncrement();
        streams.add(id);
        return id;
    }

    @Override
    public void streamDestroy(long stream) {
        if (stream == DEFAULT_STREAM) {
            throw new CudaException("emulated cuStreamDestroy(stream 0x0) failed: the default stream cannot be destroyed:"
                    + " CUDA_ERROR_INVALID_HANDLE (400)", 400);
        }
        if (!streams.remove(stream)) {
            stream(stream, "cuStreamDestroy(stream 0x" + Long.toHexString(stream) + ")");
        }
    }

    @Override
    public void streamSynchronize(long stream) {
        stream(stream, "cuStreamSynchronize(stream 0x" + Long.toHexString(stream) + ")");
    }

    @Override
    public void streamWaitEvent(long stream, long event) {
        String call = "cuStreamWaitEvent(stream 0x" + Long.toHexString(stream) + ", event 0x" + Long.toHexString(event) + ")";
        stream(stream, call);
        event(event, call);
    }

    @Override
    public long eventCreate(boolean timing) {
        long id = nextEvent.getAndIncrement();
        events.put(id, 0L);
        if (!timing) {
            untimed.add(id);
        }
        return id;
    }

    @Override
    public void eventRecord(long event, long stream) {
        String call = "cuEventRecord(event 0x" + Long.toHexString(event) + ", stream 0x" + Long.toHexString(stream) + ")";
        stream(stream, call);
        event(event, call);
        events.put(event, System.nanoTime());
    }

    @Override
    public void eventSynchronize(long event) {
        event(event, "cuEventSynchronize(event 0x" + Long.toHexString(event) + ")");
    }

    @Override
    public float eventElapsed(long start, long end) {
        String call = "cuEventElapsedTime(0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ")";
        event(start, call);
        event(end, call);
        if (untimed.contains(start) || untimed.contains(end)) {
            throw new CudaException("emulated " + call + " failed: event 0x" + Long.toHexString(untimed.contains(start) ? start : end)
                    + " was created with CU_EVENT_DISABLE_TIMING (no timestamps): CUDA_ERROR_INVALID_HANDLE (400)", 400);
        }
        return (events.get(end) - events.get(start)) / 1e6f;
    }

    @Override
    public void eventDestroy(long event) {
        events.remove(event);
        untimed.remove(event);
    }

    @Override
    public void vendorSgemm(long stream, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                            long a, long strideA, long b, long strideB, float beta, long c, long strideC) {
        throw new UnsupportedOperationException("cuBLAS is not available under the CUDA emulator");
    }

    @Override
    public void vendorGemmEx(long stream, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                             long a, long strideA, long b, long strideB, float beta, long c, long strideC,
                             GemmType ab, GemmType cType, GemmCompute compute) {
        throw new UnsupportedOperationException("cuBLAS is not available under the CUDA emulator");
    }

    @Override
    public void close() {
        // the library stays loaded for the life of the process
    }
}
