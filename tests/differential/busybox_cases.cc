#include "tests/differential/busybox_cases.h"

namespace minivm_test {

// Relative paths only: natively the fixture is the working directory, under
// minivm it is the root and the working directory. No output that depends on
// user names (/etc/passwd is the host's natively) or on time.
const std::vector<DifferentialCase>& BusyboxCases() {
  static const std::vector<DifferentialCase> cases = {
      // text tools
      {"cat", {"cat", "text.txt"}},
      {"cat_number", {"cat", "-n", "text.txt", "words.txt"}},
      {"cat_stdin", {"cat"}, "from stdin\nsecond line\n"},
      {"head", {"head", "-n", "5", "text.txt"}},
      {"head_bytes", {"head", "-c", "100", "data.bin"}},
      {"tail", {"tail", "-n", "3", "text.txt"}},
      {"tail_bytes", {"tail", "-c", "37", "text.txt"}},
      {"wc", {"wc", "text.txt", "words.txt", "data.bin"}},
      {"wc_lines_stdin", {"wc", "-l"}, "a\nb\nc\n"},
      {"sort", {"sort", "text.txt"}},
      {"sort_numeric", {"sort", "-n", "numbers.txt"}},
      {"sort_reverse_unique", {"sort", "-r", "-u", "words.txt"}},
      {"uniq_count", {"uniq", "-c", "words_sorted.txt"}},
      {"cut_fields", {"cut", "-d:", "-f1,3", "passwd.txt"}},
      {"cut_chars", {"cut", "-c1-5", "text.txt"}},
      {"tr_upper", {"tr", "a-z", "A-Z"}, "Hello, World\nsecond line\n"},
      {"tr_delete", {"tr", "-d", "aeiou"}, "the quick brown fox\n"},
      {"sed_print_range", {"sed", "-n", "2,4p", "text.txt"}},
      {"sed_substitute", {"sed", "s/the/THE/g", "text.txt"}},
      {"awk_fields", {"awk", "{print $2, NR}", "text.txt"}},
      {"awk_sum", {"awk", "-F:", "{s+=$3} END {print s, NR}", "passwd.txt"}},
      {"grep_line_numbers", {"grep", "-n", "fox", "text.txt"}},
      {"grep_count_ignore_case", {"grep", "-c", "-i", "THE", "text.txt"}},
      {"grep_invert", {"grep", "-v", "e", "words.txt"}},
      {"grep_recursive", {"grep", "-r", "needle", "tree"}},
      {"grep_no_match_status", {"grep", "nomatch", "text.txt"}},
      {"nl", {"nl", "text.txt"}},
      {"fold", {"fold", "-w", "20", "text.txt"}},
      {"paste", {"paste", "words.txt", "numbers.txt"}},
      {"tac", {"tac", "text.txt"}},
      {"rev", {"rev", "text.txt"}},
      // checksums
      {"md5sum", {"md5sum", "data.bin", "text.txt"}},
      {"sha1sum", {"sha1sum", "data.bin"}},
      {"sha256sum", {"sha256sum", "data.bin", "text.txt"}},
      {"sha512sum", {"sha512sum", "data.bin"}},
      {"sha3sum", {"sha3sum", "data.bin"}},
      {"crc32", {"crc32", "data.bin"}},
      {"md5sum_check", {"md5sum", "-c", "sums.md5"}},
      // encoders
      {"base64", {"base64", "data.bin"}},
      {"base64_decode", {"base64", "-d", "small.b64"}},
      {"od", {"od", "-A", "x", "-t", "x1z", "small.bin"}},
      {"hexdump", {"hexdump", "-C", "small.bin"}},
      {"xxd", {"xxd", "small.bin"}},
      {"strings", {"strings", "data.bin"}},
      // compression
      {"gzip_stdout", {"gzip", "-c", "text.txt"}},
      {"gunzip_stdout", {"gunzip", "-c", "text.txt.gz"}},
      {"zcat", {"zcat", "text.txt.gz"}},
      {"bzip2_stdout", {"bzip2", "-c", "text.txt"}},
      {"bzcat", {"bzcat", "text.txt.bz2"}},
      {"xzcat", {"xzcat", "text.txt.xz"}},
      // archives
      {"tar_list", {"tar", "-tf", "archive.tar"}},
      {"tar_list_gzip", {"tar", "-tzf", "archive.tar.gz"}},
      {"tar_extract_stdout", {"tar", "-xOf", "archive.tar", "tree/sub/c.txt"}},
      // directory trees
      {"ls", {"ls", "tree"}},
      {"ls_all", {"ls", "-1a", "tree/sub"}},
      {"ls_recursive", {"ls", "-R", "tree"}},
      {"find", {"find", "tree"}},
      {"find_name", {"find", "tree", "-type", "f", "-name", "*.txt"}},
      {"stat_format", {"stat", "-c", "%n %s %F", "text.txt", "tree", "tree/link_to_a"}},
      {"readlink", {"readlink", "tree/link_to_a"}},
      {"cat_missing_file", {"cat", "missing.txt"}},
      // arithmetic
      {"expr", {"expr", "6", "*", "7"}},
      {"expr_false_status", {"expr", "1", "=", "2"}},
      {"seq", {"seq", "1", "3", "20"}},
      {"factor", {"factor", "1234567", "360", "97"}},
      {"dc", {"dc", "-e", "2 64 ^ p 7 3 / p"}},
      // shell scripts with builtins only
      {"sh_loop", {"sh", "-c", "i=0; while [ $i -lt 5 ]; do echo line $i; i=$((i+1)); done"}},
      {"sh_read", {"sh", "-c", "read a b; echo \"$b $a\""}, "one two\n"},
      {"sh_exit_status", {"sh", "-c", "echo before; exit 7"}},
      {"script_with_interpreter_argument", {"sh", "-c", "./scripts/hello.sh one 'two words'; echo $?"}},
      {"script_run_by_a_script", {"sh", "-c", "./scripts/nested.sh x; echo $?"}},
      {"script_with_missing_interpreter", {"sh", "-c", "./scripts/no_interp.sh; echo $?"}},
      // execve's refusals: a file without an x bit, a directory, nothing there.
      {"exec_refused", {"sh", "-c", "./text.txt; echo $?; ./tree; echo $?; ./nope; echo $?"}},
      {"sh_test", {"sh", "-c", "test -f text.txt && echo file; [ -d tree ] && echo dir; [ -e nope ] || echo none"}},
      {"sh_case_arith", {"sh", "-c", "x=$((3*7+1)); case $x in 22) echo ok;; *) echo no;; esac"}},
      {"sh_printf_for", {"sh", "-c", "for w in a b c; do printf '%s-' $w; done; echo"}},
      {"sh_read_loop", {"sh", "-c", "n=0; while read l; do n=$((n+${#l})); done; echo $n"}, "abc\nde\nf\n"},
      {"true", {"true"}},
      {"false", {"false"}},
      // several processes: fork, execve of the program itself, pipes, wait, signals
      {"sh_pipe", {"sh", "-c", "echo a | tr a b"}},
      {"sh_command_substitution", {"sh", "-c", "x=$(echo hi); echo $x"}},
      {"sh_sleep", {"sh", "-c", "sleep 0.1; echo done"}},
      {"sh_or_exit_status", {"sh", "-c", "false || echo handled; exit 3"}},
      {"sh_pipeline_three", {"sh", "-c", "cat text.txt | tr a-z A-Z | sort -r"}},
      {"sh_kill_self", {"sh", "-c", "kill -TERM $$"}},
      {"sh_sigpipe", {"sh", "-c", "yes | head -n 3"}},
      {"sh_pipe_status", {"sh", "-c", "echo x | grep -q y; echo $?"}},
      {"sh_subshell_status", {"sh", "-c", "(exit 5); echo $?; (sleep 0.05; exit 2); echo $?"}},
      {"sh_trap", {"sh", "-c", "trap 'echo caught' USR1; kill -USR1 $$; echo after"}},
      {"sh_pipe_stdin", {"sh", "-c", "wc -l | tr -d ' '"}, "a\nb\n"},
  };
  return cases;
}

}  // namespace minivm_test
