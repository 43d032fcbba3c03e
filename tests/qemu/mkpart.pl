#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Host side of the partition and RAM disk tests (tests/qemu/blkdevs.t):
# makes disk images full of random bytes with a partition table, written
# here byte by byte (no partitioning tool), and prints the partitions the
# kernel must find, one "sN START SECTORS" line each (512-byte sectors).
#
#   mkpart.pl mbr-ext IMG     8 MiB: primary s1, extended s2 holding two
#                             logical partitions chained through EBRs (s5, s6)
#   mkpart.pl gpt IMG BS      4 MiB, BS-byte blocks: protective MBR, GPT
#                             with entries 0, 1 and 3 used (s1, s2, s4),
#                             primary and backup headers and arrays
#   mkpart.pl mbr-one IMG     1 MiB: one primary partition s1
#   mkpart.pl tag IMG SECTOR TEXT   exit 0 when the sector starts with
#                             TEXT followed by a NUL byte
#   mkpart.pl same IMG ORIG [SECTOR:COUNT...]   exit 0 when IMG and ORIG
#                             hold the same bytes outside those sectors
use strict;
use warnings;
use Compress::Zlib qw(crc32);

my ($cmd, $img, @args) = @ARGV;
die "usage: $0 mbr-ext|gpt|mbr-one|tag IMG ...\n" unless defined $img;

sub random_image {
	my ($bytes) = @_;
	open(my $r, '<', '/dev/urandom') or die "/dev/urandom: $!";
	binmode $r;
	read($r, my $data, $bytes) == $bytes or die "short read from /dev/urandom";
	return $data;
}

sub save {
	my ($data) = @_;
	open(my $fh, '>', $img) or die "$img: $!";
	binmode $fh;
	print $fh $data;
	close $fh or die;
}

# An MBR or EBR: the 4 entries [type, start, count] at byte 446, the
# signature at 510; the rest of the block (boot code) stays as it was.
sub put_table {
	my ($data, $block_off, @entries) = @_;
	my $t = '';
	for my $i (0 .. 3) {
		my ($type, $start, $count) = @{$entries[$i] // [0, 0, 0]};
		# Boot flag 0; CHS fields 0xfe 0xff 0xff ("use LBA").
		$t .= pack('C C3 C C3 V V', 0, 0xfe, 0xff, 0xff, $type, 0xfe, 0xff, 0xff, $start,
			$count);
	}
	substr($$data, $block_off + 446, 66) = $t . "\x55\xaa";
}

if ($cmd eq 'mbr-ext') {
	my $data = random_image(8 << 20);
	# s1 [2048, +4096); s2 extended [8192, +8192) with EBRs at 8192 and 12288.
	put_table(\$data, 0, [0x83, 2048, 4096], [0x05, 8192, 8192]);
	put_table(\$data, 8192 * 512, [0x83, 2048, 2048], [0x05, 4096, 4096]);
	put_table(\$data, 12288 * 512, [0x83, 2048, 2048]);
	save($data);
	print "s1 2048 4096\ns5 10240 2048\ns6 14336 2048\n";
} elsif ($cmd eq 'mbr-one') {
	my $data = random_image(1 << 20);
	put_table(\$data, 0, [0x83, 64, 1024]);
	save($data);
	print "s1 64 1024\n";
} elsif ($cmd eq 'gpt') {
	my $bs = $args[0] // 512;
	my $per = $bs / 512;
	my $n = (4 << 20) / $bs;    # blocks
	my $data = random_image(4 << 20);
	my ($count, $esize) = (128, 128);
	my $eblocks = $count * $esize / $bs;
	my ($first, $last) = (2 + $eblocks, $n - 2 - $eblocks);
	# Entries 0, 1 and 3 (partitions 1, 2 and 4), in blocks.
	my @parts = ([0, $first + 0, $first + 255], [1, $first + 256, $first + 767],
		[3, $last - 127, $last]);
	my $array = "\0" x ($count * $esize);
	my $type = pack('H32', 'af3dc60f838472478e793d69d8477de4');    # Linux filesystem
	for my $p (@parts) {
		my ($i, $lo, $hi) = @$p;
		my $guid = pack('V4', 0x766d6163, $i, 0x12345678, 0x9abcdef0);
		my $name = join('', map { pack('v', ord) } split //, "part$i");
		substr($array, $i * $esize, $esize) =
		    pack('a16 a16 Q< Q< Q< a72', $type, $guid, $lo, $hi, 0, $name);
	}
	my $header = sub {
		my ($lba, $alt, $elba) = @_;
		my $h = pack('a8 V V V V Q< Q< Q< Q< a16 Q< V V V', 'EFI PART', 0x00010000, 92, 0,
			0, $lba, $alt, $first, $last, pack('V4', 1, 2, 3, 4), $elba, $count, $esize,
			crc32($array));
		substr($h, 16, 4) = pack('V', crc32($h));
		return $h . ("\0" x ($bs - 92));
	};
	put_table(\$data, 0, [0xee, 1, ($n - 1 > 0xffffffff ? 0xffffffff : $n - 1)]);
	substr($data, 1 * $bs, $bs) = $header->(1, $n - 1, 2);
	substr($data, 2 * $bs, length $array) = $array;
	substr($data, ($n - 1 - $eblocks) * $bs, length $array) = $array;
	substr($data, ($n - 1) * $bs, $bs) = $header->($n - 1, 1, $n - 1 - $eblocks);
	save($data);
	for my $p (@parts) {
		my ($i, $lo, $hi) = @$p;
		printf "s%d %d %d\n", $i + 1, $lo * $per, ($hi - $lo + 1) * $per;
	}
} elsif ($cmd eq 'tag') {
	my ($sector, $text) = @args;
	open(my $fh, '<', $img) or die "$img: $!";
	binmode $fh;
	seek($fh, $sector * 512, 0) or die;
	read($fh, my $got, length($text) + 1);
	exit($got eq "$text\0" ? 0 : 1);
} elsif ($cmd eq 'same') {
	my ($orig, @ranges) = @args;
	my ($a, $b);
	for my $f ([$img, \$a], [$orig, \$b]) {
		open(my $fh, '<', $f->[0]) or die "$f->[0]: $!";
		binmode $fh;
		local $/;
		${$f->[1]} = <$fh>;
	}
	exit 1 if length($a) != length($b);
	for my $r (@ranges) {
		my ($s, $n) = split /:/, $r;
		substr($a, $s * 512, $n * 512) = substr($b, $s * 512, $n * 512);
	}
	exit($a eq $b ? 0 : 1);
} else {
	die "$0: unknown command '$cmd'\n";
}
