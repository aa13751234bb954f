package dev.kiln.cuda;

/** Runs test code with one {@code kiln.cuda.*} option of a backend changed ({@link CudaBackend#withOptions}). */
final class WithOption {

    private WithOption() {
    }

    static void run(CudaBackend be, String property, String value, Runnable r) {
        try (AutoCloseable scope = be.withOptions(be.options().with(property, value))) {
            r.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
