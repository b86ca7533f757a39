#include "tests/differential/debian_cases.h"

namespace minivm_test {

// Relative paths into the fixture (the working directory both ways). No
// output that depends on time, pids or the user (the guest runs as uid 1000).
const std::vector<DebianCase>& DebianCases() {
  static const std::vector<DebianCase> cases = {
      // coreutils
      {"ls_long", {"/bin/ls", "-l", "--time-style=+%Y", "tree"}},
      {"ls_recursive", {"/bin/ls", "-R", "-a", "tree"}},
      {"sort", {"/usr/bin/sort", "words.txt"}},
      {"sort_numeric_reverse", {"/usr/bin/sort", "-rn", "numbers.txt"}},
      {"sort_stdin_unique", {"/usr/bin/sort", "-u"}, "b\na\nb\nc\na\n"},
      {"wc", {"/usr/bin/wc", "text.txt", "words.txt", "data.bin"}},
      {"sha256sum", {"/usr/bin/sha256sum", "text.txt", "data.bin", "small.bin"}},
      {"md5sum_check", {"/usr/bin/md5sum", "-c", "sums.md5"}},
      {"stat_format", {"/usr/bin/stat", "-c", "%s %a %F %n", "text.txt", "tree", "tree/link_to_a"}},
      {"od", {"/usr/bin/od", "-A", "x", "-t", "x1z", "-N", "96", "data.bin"}},
      {"date_utc", {"/bin/date", "-u", "-d", "@1700000000", "+%Y-%m-%d %H:%M:%S %A"}},
      {"seq", {"/usr/bin/seq", "-s", ",", "1", "3", "40"}},
      {"head_tail_cut", {"/usr/bin/cut", "-d:", "-f1,6", "passwd.txt"}},
      {"tr_stdin", {"/usr/bin/tr", "a-z", "A-Z"}, "mixed Case text\n"},
      {"base64", {"/usr/bin/base64", "small.bin"}},
      {"factor", {"/usr/bin/factor", "1234567", "600851475143"}},
      {"du_bytes", {"/usr/bin/du", "-ab", "tree"}},
      {"uname", {"/bin/uname", "-s", "-m"}},
      {"env", {"/usr/bin/env"}},
      {"cat_missing_file_status", {"/bin/cat", "text.txt", "no-such-file"}},
      // text tools
      {"grep_recursive", {"/bin/grep", "-rn", "needle", "tree"}},
      {"grep_extended_count", {"/bin/grep", "-c", "-E", "o+[a-z]", "text.txt"}},
      {"sed_substitute", {"/bin/sed", "-n", "s/the/THE/gp", "text.txt"}},
      {"awk_fields", {"/usr/bin/awk", "-F:", "{ s += $3 } END { print s, NR }", "passwd.txt"}},
      {"diff_status_one", {"/usr/bin/diff", "tree/a.txt", "tree/b.txt"}},
      {"find_files", {"/usr/bin/find", "tree", "-name", "*.txt", "-type", "f"}},
      {"file_type", {"/usr/bin/file", "text.txt", "data.bin", "text.txt.gz", "archive.tar"}},
      // archives and compression
      {"tar_list", {"/bin/tar", "-tf", "archive.tar"}},
      {"tar_extract_to_stdout", {"/bin/tar", "-xOzf", "archive.tar.gz", "tree/sub/c.txt"}},
      {"gzip_decompress", {"/bin/gzip", "-dc", "text.txt.gz"}},
      {"xz_decompress", {"/usr/bin/xz", "-dc", "text.txt.xz"}},
      {"bzip2_decompress", {"/bin/bzip2", "-dc", "text.txt.bz2"}},
      // calculators and build tools
      {"bc_big_numbers", {"/usr/bin/bc"}, "2^100 + 1\n12345678901234567890 * 98765432109876543210\n"},
      {"bc_math_library", {"/usr/bin/bc", "-l"}, "scale=30; 4*a(1)\n"},
      {"make_targets", {"/usr/bin/make", "-s", "-C", "build", "--no-print-directory"}},
      {"make_failing_recipe", {"/usr/bin/make", "-s", "-C", "build", "--no-print-directory", "fails"}},
      // shells
      {"bash_pipeline", {"/bin/bash", "-c", "sort words.txt | uniq -c | sort -rn | head -n 5"}},
      {"bash_substitution_subshell",
       {"/bin/bash", "-c",
        "n=$(wc -l < text.txt); (cd tree && echo \"in $(basename $PWD)\"); echo lines $n; "
        "for f in tree/*.txt; do printf '%s:%s\\n' \"$f\" \"$(head -c 5 \"$f\")\"; done"}},
      {"bash_exit_status", {"/bin/bash", "-c", "false; echo $?; (exit 3); echo $?; exit 42"}},
      {"bash_script_file", {"/bin/bash", "build/script.sh", "one", "two"}},
      {"dash_pipeline", {"/bin/dash", "-c", "grep -c the text.txt; seq 5 | sort -rn | tr '\\n' ' '; echo"}},
      {"dash_tac_here_document", {"/bin/dash", "-c", "tac <<EOF\none\ntwo\nthree\nEOF\n"}},
      // scripting languages
      {"perl_oneliner", {"/usr/bin/perl", "-e", "print join(',', map { $_ ** 2 } 1..10), \"\\n\""}},
      {"perl_line_loop", {"/usr/bin/perl", "-ne", "print if /needle|fox/", "text.txt", "tree/a.txt"}},
      {"python3_json_hashlib",
       {"/usr/bin/python3", "-c",
        "import json, hashlib; print(json.dumps({'n': 2**70, 'h': "
        "hashlib.sha256(open('text.txt','rb').read()).hexdigest()}, sort_keys=True))"}},
      {"python3_sqlite3",
       {"/usr/bin/python3", "-c",
        "import sqlite3; c = sqlite3.connect(':memory:'); c.execute('create table t(x)'); "
        "c.executemany('insert into t values (?)', [(i,) for i in range(100)]); "
        "print(c.execute('select count(*), sum(x), avg(x) from t').fetchone())"}},
      {"python3_subprocess",
       {"/usr/bin/python3", "-c",
        "import subprocess; r = subprocess.run(['/usr/bin/wc', '-l', 'text.txt'], "
        "capture_output=True, text=True); print(r.returncode, r.stdout.strip())"}},
      {"python3_exit_status", {"/usr/bin/python3", "-c", "import sys; print('bye'); sys.exit(7)"}},
      // Python threads: the GIL hands over through futex waits with timeouts.
      {"python3_threading",
       {"/usr/bin/python3", "-c",
        "import threading\n"
        "items, lock, ready, cond, done = [], threading.Lock(), threading.Event(), "
        "threading.Condition(), [0]\n"
        "local = threading.local()\n"
        "def worker(n):\n"
        "    local.n = n\n"
        "    ready.wait()\n"
        "    for i in range(50):\n"
        "        with lock:\n"
        "            items.append(local.n * 1000 + i)\n"
        "    with cond:\n"
        "        done[0] += 1\n"
        "        cond.notify_all()\n"
        "ts = [threading.Thread(target=worker, args=(n,)) for n in range(4)]\n"
        "for t in ts:\n"
        "    t.start()\n"
        "ready.set()\n"
        "with cond:\n"
        "    cond.wait_for(lambda: done[0] == 4)\n"
        "for t in ts:\n"
        "    t.join()\n"
        "print(len(items), sum(items), len(set(items)), threading.active_count(), "
        "hasattr(local, 'n'))\n"}},
      {"python3_thread_pool",
       {"/usr/bin/python3", "-c",
        "from concurrent.futures import ThreadPoolExecutor\n"
        "with ThreadPoolExecutor(max_workers=4) as pool:\n"
        "    squares = list(pool.map(lambda x: x * x, range(20)))\n"
        "print(sum(squares), squares[:5], squares[-1])\n"}},
      {"sqlite3_shell",
       {"/usr/bin/sqlite3", ":memory:",
        "create table t(a, b); insert into t values (1, 'x'), (2, 'y'); "
        "select a * 10, upper(b) from t order by a desc;"}},
      {"gcc_assembly", {"/usr/bin/gcc", "-pipe", "-O2", "-S", "-o", "-", "build/hello.c"}},
  };
  return cases;
}

}  // namespace minivm_test
