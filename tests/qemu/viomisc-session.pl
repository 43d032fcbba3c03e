#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Drives the vmach monitor as a user would, over the serial line (QEMU's
# stdio) or over a virtio console (a QEMU chardev socket, --console PATH),
# with QMP commands in between (--qmp PATH). Writes the whole transcript to
# --log. Exits with QEMU's exit status, or 124 on a timeout. Usage:
#   viomisc-session.pl --log FILE --timeout S [--console SOCK] [--qmp SOCK]
#       -- QEMU-COMMAND... ::: STEP...
# A STEP is a monitor command line (written whole at once; the next prompt
# awaited) or
#   qmp:JSON              sent on QMP; the answer ("return"/"error") awaited
#   until:SECS:REGEX:CMD  CMD repeated until its output matches REGEX
#   sleep:SECS
# Transcript lines of QMP steps start with "qmp> " and "qmp< ".
use strict;
use warnings;
use IPC::Open3;
use IO::Select;
use IO::Socket::UNIX;
use POSIX ":sys_wait_h";
use Time::HiRes qw(time sleep);

my ($log, $timeout, $console, $qmp_path) = ('/dev/null', 30, undef, undef);
while (@ARGV && $ARGV[0] =~ /^--/) {
	my $o = shift @ARGV;
	last if $o eq '--';
	my $v = shift @ARGV;
	$log = $v if $o eq '--log';
	$timeout = $v if $o eq '--timeout';
	$console = $v if $o eq '--console';
	$qmp_path = $v if $o eq '--qmp';
}
my @qemu;
push @qemu, shift @ARGV while @ARGV && $ARGV[0] ne ':::';
shift @ARGV;
my @steps = @ARGV;

my $pid = open3(my $qin, my $qout, undef, @qemu);
$qin->autoflush(1);
my $deadline = time + $timeout;
my $transcript = '';
my $status;
my ($in, $out);	# where the monitor is typed to / read from

sub finish {
	if (!defined $status) {
		kill 'KILL', $pid;
		waitpid($pid, 0);
		$status = 124;
	}
	open(my $fh, '>', $log) or die "$log: $!";
	print $fh $transcript;
	close $fh;
	exit $status;
}

sub qemu_gone {
	return 1 if defined $status;
	if (waitpid($pid, WNOHANG) > 0) { $status = $? >> 8; return 1; }
	return 0;
}

sub connect_unix {
	my ($path) = @_;
	while (time < $deadline) {
		my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path);
		return $s if $s;
		return undef if qemu_gone();
		sleep 0.05;
	}
	return undef;
}

# Read what the monitor side has until $re matches the text after $from
# ($re may also be a sub that takes that text).
sub pump {
	my ($re, $from, $limit) = @_;
	my $sel = IO::Select->new($out);
	$limit = $deadline if !defined $limit || $limit > $deadline;
	while (time < $limit) {
		if (defined $re) {
			my $text = substr($transcript, $from);
			return 1 if ref $re eq 'CODE' ? $re->($text) : $text =~ $re;
		}
		if ($sel->can_read(0.1)) {
			my $n = sysread($out, my $buf, 4096);
			if (!$n) { qemu_gone(); return 0 if !defined $re; sleep 0.1; return 0 if qemu_gone(); next; }
			$transcript .= $buf;
		} elsif (qemu_gone()) {
			return 0;
		}
	}
	return 0;
}

# The whole line at once, as a paste or a fast typist would send it.
sub type_line {
	my ($cmd) = @_;
	print $in "$cmd\r";
}

# A step of several lines separated by CR (a paste) awaits as many prompts,
# counted (a regex repeating a lazy match would backtrack for ages while
# prompts are missing, and the reader would fall behind QEMU's output).
sub command {
	my ($cmd) = @_;
	my $from = length $transcript;
	my $lines = 1 + (() = $cmd =~ /\r/g);
	type_line($cmd);
	return pump(sub { (() = $_[0] =~ /vmach> /g) >= $lines }, $from);
}

my $qmp;
sub qmp_cmd {
	my ($json) = @_;
	print $qmp "$json\n";
	$transcript .= "qmp> $json\n";
	while (time < $deadline) {
		my $line = <$qmp>;
		last if !defined $line;
		next if $line =~ /"event"/;
		$transcript .= "qmp< $line";
		return 1 if $line =~ /"return"|"error"/;
	}
	return 0;
}

if (defined $console) {
	my $s = connect_unix($console) or finish();
	$in = $out = $s;
	$s->autoflush(1);
	# We may have connected before or after the boot prompt, and a line sent
	# before the guest opened the port arrives late: ask for a numbered echo
	# until one comes back, so every prompt before it (the boot's, earlier
	# tries') is behind us and none is mistaken for a later command's.
	my $ok = 0;
	for (my $k = 1; !$ok && time < $deadline && !qemu_gone(); $k++) {
		print $in "echo sync-$k\r";
		$ok = pump(qr/\nsync-$k\r?\nvmach> /, 0, time + 2);
	}
	finish() unless $ok;
} else {
	($in, $out) = ($qin, $qout);
	finish() unless pump(qr/vmach> /, 0);
}
if (defined $qmp_path) {
	$qmp = connect_unix($qmp_path) or finish();
	$qmp->autoflush(1);
	my $greeting = <$qmp>;
	qmp_cmd('{"execute":"qmp_capabilities"}') or finish();
}

for my $step (@steps) {
	if ($step =~ /^qmp:(.*)$/s) {
		last unless qmp_cmd($1);
	} elsif ($step =~ /^sleep:([\d.]+)$/) {
		sleep $1;
	} elsif ($step =~ /^until:([\d.]+):(.*?):(.*)$/) {
		my ($secs, $re, $cmd) = ($1, qr/$2/m, $3);
		my $limit = time + $secs;
		while (time < $limit) {
			my $from = length $transcript;
			last unless command($cmd);
			last if substr($transcript, $from) =~ $re;
			sleep 0.5;
		}
	} else {
		last unless command($step);
	}
}
# Let QEMU end by itself (poweroff), else it is killed.
while (!qemu_gone() && time < $deadline) {
	pump(undef, 0, time + 0.2);
}
finish();
