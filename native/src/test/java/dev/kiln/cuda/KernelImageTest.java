package dev.kiln.cuda;

import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which kernel image the real driver loads: the kiln-kernels jar holds an sm_80 and an sm_90a
 * cubin for every family (CUDA ELF files of that architecture); {@link JavaCppDriver#image(int)}
 * picks SASS on 8.x and 9.0 and PTX elsewhere. Against the libcuda.so.1 test double (the
 * {@code fake-driver} execution at compute capability 8.0, {@code fake-driver-sm90} at 9.0) a
 * family is loaded from its cubin through JavaCPP's cuModuleLoadDataEx, and the double refuses
 * what a real driver refuses: a cubin of another architecture, PTX of a newer ISA than 9.0, and
 * sm_90a PTX off 9.0.
 */
class KernelImageTest {

    private static final String CUBIN = "dev/kiln/kernels/cubin/";
    private static final String PTX = "dev/kiln/kernels/ptx/";

    @Test
    void sassOnEightAndNineAndPtxElsewhere() {
        assertEquals("SASS sm_80", JavaCppDriver.image(80).toString());
        assertEquals("SASS sm_80", JavaCppDriver.image(86).toString());
        assertEquals("SASS sm_80", JavaCppDriver.image(89).toString());
        assertEquals("SASS sm_90a", JavaCppDriver.image(90).toString());
        assertEquals("PTX sm_80 (JIT)", JavaCppDriver.image(100).toString());
        assertEquals("PTX sm_80 (JIT)", JavaCppDriver.image(120).toString());
        assertEquals(CUBIN + "gemm.sm_90a.cubin", JavaCppDriver.image(90).path("gemm"));
        assertEquals(PTX + "gemm.sm_80.ptx", JavaCppDriver.image(120).path("gemm"));
    }

    /** Every family in the jar has both cubins, and each is a CUDA ELF of the architecture its name says. */
    @Test
    void theKernelsJarHoldsCubinsForEveryFamily() throws IOException {
        List<String> names = resources();
        TreeSet<String> families = new TreeSet<>();
        for (String n : names) {
            if (n.startsWith(PTX) && n.endsWith(".sm_80.ptx")) {
                families.add(n.substring(PTX.length(), n.length() - ".sm_80.ptx".length()));
            }
        }
        assertTrue(families.size() >= 15 && families.contains("gemm") && families.contains("memory"), families.toString());
        for (String f : families) {
            assertEquals(80, cubinArch(read(CUBIN + f + ".sm_80.cubin")), f + ".sm_80.cubin");
            assertEquals(90, cubinArch(read(CUBIN + f + ".sm_90a.cubin")), f + ".sm_90a.cubin");
        }
    }

    /** The SM architecture in a CUDA ELF header (EM_CUDA; e_flags bits 8-15 from ELF ABI version 8, else 0-7). */
    static int cubinArch(byte[] elf) {
        assertTrue(elf.length > 64 && elf[0] == 0x7f && elf[1] == 'E' && elf[2] == 'L' && elf[3] == 'F', "an ELF file");
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(190, b.getShort(18), "e_machine EM_CUDA");
        int flags = b.getInt(48);
        return (elf[8] >= 8 ? flags >> 8 : flags) & 0xff;
    }

    static byte[] read(String resource) throws IOException {
        try (InputStream in = KernelImageTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertTrue(in != null, "no resource " + resource + " on the class path");
            return in.readAllBytes();
        }
    }

    /** Every resource name under dev/kiln/kernels/, from the kiln-kernels jar or its classes folder. */
    static List<String> resources() throws IOException {
        URL u = KernelImageTest.class.getClassLoader().getResource(PTX + "memory.sm_80.ptx");
        assertTrue(u != null, "kiln-kernels is not on the class path");
        List<String> out = new ArrayList<>();
        if (u.getProtocol().equals("jar")) {
            String jar = u.getPath().substring("file:".length(), u.getPath().indexOf("!/"));
            try (JarFile jf = new JarFile(java.net.URLDecoder.decode(jar, StandardCharsets.UTF_8))) {
                for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                    out.add(e.nextElement().getName());
                }
            }
        } else {
            Path root = Path.of(java.net.URI.create(u.toString())).getParent().getParent().getParent().getParent().getParent();
            try (Stream<Path> s = Files.walk(root.resolve("dev/kiln/kernels"))) {
                s.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
            }
        }
        return out;
    }

    // ---- against the libcuda.so.1 test double ------------------------------------------------------

    private static JavaCppDriver fake() {
        Assumptions.assumeTrue(System.getenv("KILN_FAKE_CUDA_EMU") != null,
                "runs only in the fake-driver executions (needs the libcuda.so.1 test double)");
        return JavaCppDriver.open(0, CudaOptions.parse(java.util.Map.of(), "cuda"));
    }

    @Test
    void aFamilyIsLoadedFromTheCubinForTheDevice() {
        JavaCppDriver d = fake();
        try {
            int cc = d.computeCapability();
            String expected = System.getenv("KILN_FAKE_CUDA_CC") == null ? "80" : System.getenv("KILN_FAKE_CUDA_CC");
            assertEquals(Integer.parseInt(expected), cc);
            assertEquals("kiln_memory_fill_f32", d.function("memory", "kiln_memory_fill_f32").name());
            JavaCppDriver.Image img = d.loadedImages().get("memory");
            assertTrue(img.sass(), "loaded from " + img);
            assertEquals(cc == 90 ? "sm_90a" : "sm_80", img.arch());
            assertTrue(d.describe().contains("kernels SASS " + img.arch()), d.describe());
            // The double resolves only entry points the cubin holds.
            CudaException e = org.junit.jupiter.api.Assertions.assertThrows(CudaException.class,
                    () -> d.function("memory", "kiln_softmax_forward_f32"));
            assertTrue(e.getMessage().contains("memory." + img.arch() + ".cubin") && e.getMessage().contains("CUDA_ERROR_NOT_FOUND"),
                    e.getMessage());
        } finally {
            d.close();
        }
    }

    /** cuModuleLoadData straight through JavaCPP: what the double refuses, with the driver's codes. */
    @Test
    void theDoubleRefusesImagesTheDeviceCannotRun() throws IOException {
        JavaCppDriver d = fake();
        try {
            int cc = d.computeCapability();
            byte[] sm80 = read(CUBIN + "memory.sm_80.cubin"), sm90a = read(CUBIN + "memory.sm_90a.cubin");
            assertEquals(cc == 90 ? 209 : 0, load(sm80), "an sm_80 cubin runs on 8.x only");
            assertEquals(cc == 90 ? 0 : 209, load(sm90a), "an sm_90a cubin runs on 9.0 only");
            String ptx80 = new String(read(PTX + "memory.sm_80.ptx"), StandardCharsets.US_ASCII);
            String ptx90 = new String(read(PTX + "memory.sm_90a.ptx"), StandardCharsets.US_ASCII);
            assertEquals(0, load(z(ptx80)), "compute_80 PTX JIT-compiles on 8.0 and later");
            assertEquals(cc == 90 ? 0 : 209, load(z(ptx90)), "compute_90a PTX only on 9.0");
            assertTrue(ptx80.contains("\n.version 9.0\n"), "nvcc 13.0 writes PTX ISA 9.0");
            assertEquals(222, load(z(ptx80.replace("\n.version 9.0\n", "\n.version 9.1\n"))),
                    "CUDA_ERROR_UNSUPPORTED_PTX_VERSION for PTX newer than driver 580 takes");
            assertFalse(JavaCppDriver.errorName(222).isEmpty());
            assertTrue(JavaCppDriver.errorName(209).contains("CUDA_ERROR_NO_BINARY_FOR_GPU"), JavaCppDriver.errorName(209));
        } finally {
            d.close();
        }
    }

    private static byte[] z(String ptx) {
        byte[] b = ptx.getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }

    /** The return code of cuModuleLoadData on {@code image} (the module is unloaded again on success). */
    private static int load(byte[] image) {
        CUmod_st m = new CUmod_st();
        try (BytePointer p = new BytePointer(image)) {
            int rc = cudart.cuModuleLoadData(m, p);
            if (rc == 0) {
                cudart.cuModuleUnload(m);
            }
            return rc;
        }
    }
}
