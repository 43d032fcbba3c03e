#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Drives the vmach monitor over a serial line as a user would: waits for the
# prompt, types each command (one argument each), and writes the whole
# transcript to the file named by --log. Exits with QEMU's exit status, or
# 124 on a timeout. Usage:
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

sub pump {
	my ($want) = @_;    # a regex to wait for, or undef to read until exit
	while (time < $deadline) {
		if ($sel->can_read(0.2)) {
			my $n = sysread($out, my $buf, 4096);
			if (!$n) { waitpid($pid, 0); $status = $? >> 8; return 0; }
			$transcript .= $buf;
			return 1 if defined $want && $transcript =~ $want;
		} elsif (waitpid($pid, WNOHANG) > 0) {
			$status = $? >> 8;
			return 0;
		}
	}
	return 0;
}

my $prompts = 0;
for my $cmd (@cmds) {
	$prompts++;
	my $re = qr/(?:vmach> .*?){$prompts}/s;
	last unless pump($re);
	# Type like a person: one character at a time.
	for my $ch (split //, $cmd) { print $in $ch; select(undef, undef, undef, 0.002); }
	print $in "\r";
}
pump(undef) unless defined $status;
if (!defined $status) { kill 'KILL', $pid; waitpid($pid, 0); $status = 124; }
open(my $fh, '>', $log) or die "$log: $!";
print $fh $transcript;
close $fh;
exit $status;
