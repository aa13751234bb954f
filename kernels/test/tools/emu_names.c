/* Prints the kernel names registered in an emulator library, one a line:
 *   kiln_emu_names path/to/libkiln_emu.so */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s libkiln_emu.so\n", argv[0]);
    return 2;
  }
  void* h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
    return 1;
  }
  typedef int (*names_fn)(char*, size_t);
  names_fn names = (names_fn)dlsym(h, "kiln_emu_kernel_names");
  if (!names) {
    fprintf(stderr, "kiln_emu_kernel_names not exported by %s\n", argv[1]);
    return 1;
  }
  int need = names(NULL, 0);
  char* buf = (char*)malloc((size_t)need);
  names(buf, (size_t)need);
  fputs(buf, stdout);
  free(buf);
  return 0;
}
