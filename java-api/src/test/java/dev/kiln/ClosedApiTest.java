package dev.kiln;

import dev.kiln.backend.Buffer;
import dev.kiln.spi.TensorStorage;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What user code can reach from a tensor: values and ops, never its storage or its backend. */
class ClosedApiTest {

    @Test
    void noPublicTensorMethodHandsOutStorageOrBackend() {
        List<String> leaks = new ArrayList<>();
        for (Method m : Tensor.class.getMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getReturnType().getPackageName().startsWith("dev.kiln.backend")) {
                leaks.add(m.toString());
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void aTensorsStorageCannotBeFreedBehindItsBack() {
        Tensor t = Tensor.fromArray(new float[] {1, 2, 3});
        Buffer b = TensorStorage.buffer(t);
        IllegalStateException e = assertThrows(IllegalStateException.class, b::close);
        assertTrue(e.getMessage().contains("close the tensor"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> b.release(new Object()), "only the owner's key releases it");
        assertThrows(IllegalStateException.class, () -> b.own(new Object()), "owned already");
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray(), "still alive and unchanged");
        t.close();
        assertThrows(IllegalStateException.class, t::toFloatArray);
    }

    @Test
    void onlyTensorInstallsTheStorageAccess() {
        assertThrows(SecurityException.class, () -> TensorStorage.install(new TensorStorage.Access() {
            @Override
            public Buffer buffer(Tensor t) {
                return null;
            }

            @Override
            public dev.kiln.backend.Backend backend(Tensor t) {
                return null;
            }
        }));
    }
}
