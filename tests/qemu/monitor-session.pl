#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Drives the vmach monitor over a serial line: waits for the prompt, writes
# each command (one argument each) as a whole line at once, as a paste or a
# fast typist would, waits for the prompt that follows it, and writes the
# whole transcript to the file named by --log. An argument holding several
# lines separated by CR is written in one go (a paste) and as many prompts
# are awaited. Exits with QEMU's exit status, or 124 on a timeout. Usage:
#   monitor-session.pl --log FILE --timeout S -- QEMU-COMMAND... ::: CMD1 CMD2 ...
use strict;
use warnings;
use IPC::Open3;
use IO::Select;
use POSIX ":sys_wait_h";

my ($log, $timeout) = ('/dev/null', 30);
while (@ARGV && $ARGV[0] =~ /^--/) {
	my $o = shift @ARGV;
	last if $o eq '--';
	$log = shift @ARGV if $o eq '--log';
	$timeout = shift @ARGV if $o eq '--timeout';
}
my @qemu;
push @qemu, shift @ARGV while @ARGV && $ARGV[0] ne ':::';
shift @ARGV;
my @cmds = @ARGV;

my $pid = open3(my $in, my $out, undef, @qemu);
$in->autoflush(1);
my $sel = IO::Select->new($out);
my $transcript = '';
my $deadline = time + $timeout;
my $status;

# Reads QEMU's output into the transcript until done->() is true (or, with
# no argument, until QEMU exits). 0 when QEMU exited or time ran out.
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

# Waits for $n prompts printed after offset $from of the transcript. Counting
# from where the command was typed, not from the start, keeps a command that
# printed no prompt (reboot) or an extra one from shifting the count onto a
# prompt printed before the command was typed.
sub prompts_after {
	my ($from, $n) = @_;
	return pump(sub { (() = substr($transcript, $from) =~ /vmach> /g) >= $n });
}

if (prompts_after(0, 1)) {
	for my $cmd (@cmds) {
		my $from = length $transcript;
		my $lines = 1 + (() = $cmd =~ /\r/g);
		print $in "$cmd\r";
		last unless prompts_after($from, $lines);
	}
}
pump(undef) unless defined $status;
if (!defined $status) { kill 'KILL', $pid; waitpid($pid, 0); $status = 124; }
open(my $fh, '>', $log) or die "$log: $!";
print $fh $transcript;
close $fh;
exit $status;
