KERNEL_SRCS += device/virtio_platform.c
