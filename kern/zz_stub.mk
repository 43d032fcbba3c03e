KERNEL_SRCS += kern/zz_pci_stub.c
