#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Host side of the virtio-blk QEMU tests: reads and writes disk images
# with plain file I/O, independently of the guest.
#   blk-check.pl crc IMG SECTOR COUNT          print zlib's CRC-32 (8 hex digits)
#   blk-check.pl check IMG SECTOR COUNT RUN DISK [SKIP_SECTOR SKIP_COUNT]
#       every sector must carry the guest's pattern (tests/ktest/blk_test.c,
#       bt_pattern) for its own number; prints the first bad sector and
#       exits 1, else exits 0. Sectors in the skip range are not checked.
#   blk-check.pl write IMG SECTOR COUNT RUN DISK   write that pattern
use strict;
use warnings;
use Compress::Zlib qw(crc32);

my ($cmd, $img, $s0, $n, $run, $disk, $skip0, $skipn) = @ARGV;
die "usage: $0 crc|check|write IMG SECTOR COUNT [RUN DISK]\n" unless defined $n;

# Bytes 32..511 of sector s are (s * 7 + run + i) & 0xff: a slice of a ramp.
my $ramp = join('', map { chr($_ & 0xff) } 0 .. 1023);

sub pattern {
	my ($s) = @_;
	my $head = 'VMACHSEC' . pack('Q<Q<Q<', $s, $run, $disk);
	return $head . substr($ramp, (($s * 7 + $run) & 0xff) + 32, 480);
}

open(my $fh, '+<', $img) or die "$img: $!";
binmode $fh;
if ($cmd eq 'crc') {
	seek($fh, $s0 * 512, 0) or die;
	read($fh, my $data, $n * 512) == $n * 512 or die "short read\n";
	printf "%08x\n", crc32($data);
} elsif ($cmd eq 'check') {
	seek($fh, $s0 * 512, 0) or die;
	read($fh, my $data, $n * 512) == $n * 512 or die "short read\n";
	for my $i (0 .. $n - 1) {
		my $s = $s0 + $i;
		next if defined $skip0 && $s >= $skip0 && $s < $skip0 + $skipn;
		my $got = substr($data, $i * 512, 512);
		if ($got ne pattern($s)) {
			my ($magic, $gs, $gr, $gd) = unpack('a8 Q< Q< Q<', $got);
			print "sector $s: bad (holds '$magic' sector $gs run $gr disk $gd)\n";
			exit 1;
		}
	}
	print "sectors $s0..", $s0 + $n - 1, ": pattern of run $run disk $disk\n";
} elsif ($cmd eq 'write') {
	seek($fh, $s0 * 512, 0) or die;
	print $fh join('', map { pattern($s0 + $_) } 0 .. $n - 1);
} else {
	die "unknown command $cmd\n";
}
close($fh) or die;
exit 0;
