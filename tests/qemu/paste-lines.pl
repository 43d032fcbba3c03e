#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Prints COUNT distinct monitor command lines of exactly 80 characters,
# "echo TAGnn WORD WORD...", for the paste test (console-paste.t). Line n
# draws its words from the alphabet rotated by 7n, so a lost, doubled or
# swapped character, or a line mixed into another, shows as a line that
# differs from the expected one. Usage:
#   paste-lines.pl TAG COUNT
use strict;
use warnings;

my ($tag, $count) = @ARGV;
die "usage: paste-lines.pl TAG COUNT\n" unless defined $count && $count =~ /^\d+$/;
my @alphabet = ('0' .. '9', 'A' .. 'Z', 'a' .. 'z');
for my $n (1 .. $count) {
	my $line = sprintf('echo %s%02d ', $tag, $n);
	my $k = 7 * $n;
	while (length $line < 80) {
		# A space every 12 columns, never last: words stay one space apart.
		if (length($line) % 12 == 0 && length $line < 79) {
			$line .= ' ';
		} else {
			$line .= $alphabet[$k++ % @alphabet];
		}
	}
	print "$line\n";
}
