#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Drives a guest over its serial line by steps, for programs that read the
# console device (tests/qemu/dev-console.t). Each step:
#   wait=REGEX   wait until the output since the last wait matches REGEX
#   send=TEXT    write TEXT (\r and \n escapes understood) in one go
#   pattern=N    write N bytes of the pattern user/tests/dev-console.c
#                checks (letters: 'a' + (i * 7 + i / 26) % 26) in one go
# then waits for QEMU to exit. The transcript goes to --log. Exits with
# QEMU's status, 124 on a timeout, 125 when a wait's pattern never came.
# Usage: console-feed.pl --log FILE --timeout S -- QEMU-COMMAND... ::: STEP...
use strict;
use warnings;
use IPC::Open3;
use IO::Select;
use POSIX ":sys_wait_h";

my ($log, $timeout) = ('/dev/null', 60);
while (@ARGV && $ARGV[0] =~ /^--/) {
	my $o = shift @ARGV;
	last if $o eq '--';
	$log = shift @ARGV if $o eq '--log';
	$timeout = shift @ARGV if $o eq '--timeout';
}
my @qemu;
push @qemu, shift @ARGV while @ARGV && $ARGV[0] ne ':::';
shift @ARGV;

my $pid = open3(my $in, my $out, undef, @qemu);
$in->autoflush(1);
my $sel = IO::Select->new($out);
my ($transcript, $from, $status) = ('', 0, undef);
my $deadline = time + $timeout;

# Reads output until $done->() holds (1), QEMU exits or time runs out (0).
sub pump {
	my ($done) = @_;
	while (time < $deadline) {
		return 1 if $done && $done->();
		if ($sel->can_read(0.2)) {
			my $n = sysread($out, my $buf, 4096);
			if (!$n) { waitpid($pid, 0); $status = $? >> 8; return 0; }
			$transcript .= $buf;
		} elsif (waitpid($pid, WNOHANG) > 0) {
			$status = $? >> 8;
			return 0;
		}
	}
	return 0;
}

sub finish {
	my ($code) = @_;
	kill 'TERM', $pid if !defined $status;
	waitpid($pid, 0) if !defined $status;
	open(my $fh, '>', $log) or die "$log: $!";
	print $fh $transcript;
	close $fh;
	exit $code;
}

for my $step (@ARGV) {
	if ($step =~ /^wait=(.*)$/s) {
		my $re = qr/$1/;
		if (!pump(sub { substr($transcript, $from) =~ $re })) {
			finish(defined $status ? 125 : 124);
		}
		substr($transcript, $from) =~ $re;
		$from += $+[0];
	} elsif ($step =~ /^send=(.*)$/s) {
		(my $text = $1) =~ s/\\r/\r/g;
		$text =~ s/\\n/\n/g;
		print $in $text;
	} elsif ($step =~ /^pattern=(\d+)$/) {
		print $in join('', map { chr(ord('a') + ($_ * 7 + int($_ / 26)) % 26) } 0 .. $1 - 1);
	} else {
		die "console-feed.pl: unknown step '$step'\n";
	}
}
pump();
finish(defined $status ? $status : 124);
