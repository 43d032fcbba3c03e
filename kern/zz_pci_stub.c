__attribute__((weak)) void pci_init(void) {}
