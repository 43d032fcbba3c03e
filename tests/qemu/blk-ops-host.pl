#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Host side of tests/qemu/blk-ops.t, independent of the guest:
#   blk-ops-host.pl zero IMG SECTOR COUNT   exit 0 when every byte is zero,
#                                           else print the first bad sector
#   blk-ops-host.pl hole IMG SECTOR COUNT   exit 0 when the file has no data
#                                           there (lseek SEEK_DATA), else
#                                           print where data starts
#   blk-ops-host.pl blocks IMG              the file's allocated 512-byte blocks
#   blk-ops-host.pl qmp SOCKET DRIVE        ask QEMU (QMP query-block) for the
#                                           drive's cache mode, print
#                                           "writeback" or "writethrough", then
#                                           send quit
use strict;
use warnings;
use Fcntl qw(SEEK_SET);
use IO::Socket::UNIX;
use JSON::PP;

my $SEEK_DATA = 3;    # Linux lseek(2)

sub cmd_zero {
	my ($img, $s0, $n) = @_;
	open(my $fh, '<', $img) or die "$img: $!";
	binmode $fh;
	seek($fh, $s0 * 512, SEEK_SET) or die;
	read($fh, my $data, $n * 512) == $n * 512 or die "short read\n";
	if ($data =~ /[^\0]/g) {
		my $s = $s0 + int((pos($data) - 1) / 512);
		print "sector $s is not zero\n";
		return 1;
	}
	print "sectors $s0..", $s0 + $n - 1, " are zero\n";
	return 0;
}

sub cmd_hole {
	my ($img, $s0, $n) = @_;
	open(my $fh, '<', $img) or die "$img: $!";
	my $at = sysseek($fh, $s0 * 512, $SEEK_DATA);
	# ENXIO: no data from there to the end of the file.
	if (defined $at && $at < ($s0 + $n) * 512) {
		print "data at byte $at (sector ", int($at / 512), ")\n";
		return 1;
	}
	print "sectors $s0..", $s0 + $n - 1, " are a hole\n";
	return 0;
}

sub qmp_send {
	my ($sock, $cmd) = @_;
	print $sock encode_json({ execute => $cmd }), "\n";
	while (my $line = <$sock>) {
		my $msg = decode_json($line);
		next if exists $msg->{event};
		die "QMP $cmd: " . encode_json($msg->{error}) . "\n" if $msg->{error};
		return $msg->{return};
	}
	die "QMP $cmd: connection closed\n";
}

sub cmd_qmp {
	my ($path, $drive) = @_;
	my $sock = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path)
	    or die "$path: $!\n";
	my $greeting = <$sock>;
	die "no QMP greeting\n" unless $greeting && $greeting =~ /"QMP"/;
	qmp_send($sock, 'qmp_capabilities');
	my $mode;
	for my $b (@{ qmp_send($sock, 'query-block') }) {
		next unless $b->{device} eq $drive && $b->{inserted};
		$mode = $b->{inserted}{cache}{writeback} ? 'writeback' : 'writethrough';
	}
	eval { qmp_send($sock, 'quit') };
	die "drive $drive not found\n" unless defined $mode;
	print "$mode\n";
	return 0;
}

my ($cmd, @args) = @ARGV;
die "usage: $0 zero|hole|blocks|qmp ...\n" unless defined $cmd;
if ($cmd eq 'zero') {
	exit cmd_zero(@args);
} elsif ($cmd eq 'hole') {
	exit cmd_hole(@args);
} elsif ($cmd eq 'blocks') {
	my @st = stat($args[0]) or die "$args[0]: $!\n";
	print "$st[12]\n";
	exit 0;
} elsif ($cmd eq 'qmp') {
	exit cmd_qmp(@args);
}
die "unknown command $cmd\n";
