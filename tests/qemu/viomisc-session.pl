#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Drives the vmach monitor as a user would, over the serial line (QEMU's
# stdio) or over a virtio console (a QEMU chardev socket, --console PATH),
# with QMP commands in between (--qmp PATH). Writes the whole transcript to
# --log. Exits with QEMU's exit status, or 124 on a timeout. Usage:
#   viomisc-session.pl --log FILE --timeout S [--console SOCK] [--qmp SOCK]
#       -- QEMU-COMMAND... ::: STEP...
# A STEP is a monitor command line (typed, then the next prompt awaited),
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

# Read what the monitor side has until $re matches the text after $from.
sub pump {
	my ($re, $from, $limit) = @_;
	my $sel = IO::Select->new($out);
	$limit = $deadline if !defined $limit || $limit > $deadline;
	while (time < $limit) {
		return 1 if defined $re && substr($transcript, $from) =~ $re;
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

sub type_line {
	my ($cmd) = @_;
	for my $ch (split //, $cmd) { print $in $ch; sleep 0.002; }
	print $in "\r";
}

sub command {
	my ($cmd) = @_;
	my $from = length $transcript;
	type_line($cmd);
	return pump(qr/vmach> /, $from);
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
	# Nothing reached us before we connected: ask for a fresh prompt.
	my $ok = 0;
	while (!$ok && time < $deadline && !qemu_gone()) {
		my $from = length $transcript;
		print $in "\r";
		$ok = pump(qr/vmach> /, $from, time + 2);
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
