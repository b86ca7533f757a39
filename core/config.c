#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/default_config.h"
#include "core/log.h"

/* State of one INI parse. inih reports neither line numbers (Debian builds it
 * without INI_HANDLER_LINENO) nor empty sections, so our line reader counts
 * lines and notices section titles itself. */
struct ini_parse_state {
    struct vm_config *config;
    const char *source;
    const char *text;      /* for string sources */
    FILE *file;            /* for file sources */
    int line;
    bool replaced_plugins; /* this source declared its own [plugin] set */
    struct plugin_config *section_plugin;
    bool section_is_vm;
    bool failed;
    bool builtin;          /* lines of the built-in defaults are reported as 0 */
    int vm_key_lines[13];  /* where each single-value [vm] key was set, 0: not yet */
};

/* [vm] keys that take one value per source (env and arg repeat by design). */
static const char *const single_vm_keys[] = {"memory",  "root",    "rw",      "trace",
                                             "timeout", "kernel",  "program", "workdir",
                                             "host_libraries", "tmpfs",
                                             "strace",  "strace_output"};

static char *xstrdup(const char *s)
{
    char *copy = strdup(s);
    if (!copy) {
        log_error("out of memory");
        abort();
    }
    return copy;
}

static void *xrealloc(void *ptr, size_t count, size_t size)
{
    void *p = reallocarray(ptr, count, size);
    if (!p) {
        log_error("out of memory");
        abort();
    }
    return p;
}

static int config_fail(struct ini_parse_state *st, const char *fmt, const char *a, const char *b)
{
    char what[512];
    snprintf(what, sizeof what, fmt, a, b);
    log_error("%s:%d: %s", st->source, st->line, what);
    st->failed = true;
    return 0;
}

int config_parse_size(const char *text, uint64_t *bytes)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*text))
        return -1;
    /* Decimal, or hex with 0x; a leading zero does not mean octal. */
    int base = (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) ? 16 : 10;
    unsigned long long n = strtoull(text, &end, base);
    if (errno)
        return -1;
    unsigned shift = 0;
    switch (toupper((unsigned char)*end)) {
    case 'K': shift = 10; end++; break;
    case 'M': shift = 20; end++; break;
    case 'G': shift = 30; end++; break;
    case 'T': shift = 40; end++; break;
    default: break;
    }
    if (shift && (*end == 'i' || *end == 'I'))
        end++;
    if (shift && (*end == 'b' || *end == 'B'))
        end++;
    if (*end != '\0' || (shift && n > (UINT64_MAX >> shift)))
        return -1;
    *bytes = (uint64_t)n << shift;
    return 0;
}

int config_parse_duration_ms(const char *text, uint64_t *ms)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*text))
        return -1;
    double value = strtod(text, &end);
    if (errno || value < 0)
        return -1;
    double scale = 1000.0;
    if (strcmp(end, "ms") == 0)
        scale = 1.0;
    else if (strcmp(end, "s") == 0 || *end == '\0')
        scale = 1000.0;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        scale = 60000.0;
    else
        return -1;
    double total = value * scale;
    if (total > 1e15)
        return -1;
    *ms = (uint64_t)(total + 0.5);
    return 0;
}

int config_parse_bool(const char *text, bool *value)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(text, yes[i]) == 0) {
            *value = true;
            return 0;
        }
        if (strcasecmp(text, no[i]) == 0) {
            *value = false;
            return 0;
        }
    }
    return -1;
}

/* `path` made absolute-normalized in place ("/a/./b//c/.." -> "/a/b"); -1 if
 * it is not absolute. */
static int normalize_guest_path(char *path)
{
    if (path[0] != '/')
        return -1;
    char *out = xstrdup(path); /* never longer than the input */
    size_t len = 0;
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        const char *name = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - name);
        if (n == 0 || (n == 1 && name[0] == '.'))
            continue;
        if (n == 2 && name[0] == '.' && name[1] == '.') {
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
            continue;
        }
        out[len++] = '/';
        memcpy(out + len, name, n);
        len += n;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = '\0';
    strcpy(path, out);
    free(out);
    return 0;
}

static void clear_tmpfs(struct vm_config *config)
{
    for (size_t i = 0; i < config->tmpfs_count; i++)
        free(config->tmpfs[i]);
    free(config->tmpfs);
    config->tmpfs = NULL;
    config->tmpfs_count = 0;
}

int config_set_tmpfs(struct vm_config *config, const char *list, char *why, size_t why_size)
{
    clear_tmpfs(config);
    char *copy = xstrdup(list), *save = NULL;
    for (char *p = strtok_r(copy, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
        if (normalize_guest_path(p) != 0 || strcmp(p, "/") == 0) {
            snprintf(why, why_size, "'%s' is not an absolute guest path other than /", p);
            free(copy);
            clear_tmpfs(config);
            return -1;
        }
        config->tmpfs = xrealloc(config->tmpfs, config->tmpfs_count + 1, sizeof *config->tmpfs);
        config->tmpfs[config->tmpfs_count++] = xstrdup(p);
    }
    free(copy);
    return 0;
}

int config_add_mount(struct vm_config *config, const char *spec, const char *origin, char *why,
                     size_t why_size)
{
    char *copy = xstrdup(spec);
    bool rw = false;
    /* HOST:GUEST[:MODE], split from the right: a host path may hold ':'. */
    char *colon = strrchr(copy, ':');
    if (colon && (strcmp(colon + 1, "rw") == 0 || strcmp(colon + 1, "ro") == 0)) {
        rw = strcmp(colon + 1, "rw") == 0;
        *colon = '\0';
        colon = strrchr(copy, ':');
    }
    if (!colon || colon == copy || colon[1] == '\0') {
        snprintf(why, why_size, "'%s' is not HOST:GUEST[:rw|:ro]", spec);
        free(copy);
        return -1;
    }
    *colon = '\0';
    char *guest = colon + 1;
    if (normalize_guest_path(guest) != 0 || strcmp(guest, "/") == 0) {
        snprintf(why, why_size, "'%s': the guest path must be absolute and not / (that is --root)",
                 spec);
        free(copy);
        return -1;
    }
    for (size_t i = 0; i < config->mount_count; i++) {
        if (strcmp(config->mounts[i].guest, guest) == 0) {
            snprintf(why, why_size, "'%s': %s is mounted already (%s)", spec, guest,
                     config->mounts[i].origin);
            free(copy);
            return -1;
        }
    }
    config->mounts = xrealloc(config->mounts, config->mount_count + 1, sizeof *config->mounts);
    struct vm_mount *m = &config->mounts[config->mount_count++];
    m->host = xstrdup(copy);
    m->guest = xstrdup(guest);
    m->rw = rw;
    m->origin = xstrdup(origin);
    free(copy);
    return 0;
}

int config_set_env(struct vm_config *config, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return -1;
    size_t key_len = (size_t)(eq - assignment) + 1; /* including '=' */
    for (size_t i = 0; i < config->env_count; i++) {
        if (strncmp(config->env[i], assignment, key_len) == 0) {
            free(config->env[i]);
            config->env[i] = xstrdup(assignment);
            return 0;
        }
    }
    config->env = xrealloc(config->env, config->env_count + 1, sizeof *config->env);
    config->env[config->env_count++] = xstrdup(assignment);
    return 0;
}

static void plugin_config_free(struct plugin_config *plugin)
{
    for (size_t i = 0; i < plugin->entry_count; i++) {
        free(plugin->entries[i].key);
        free(plugin->entries[i].value);
    }
    free(plugin->entries);
    free(plugin->name);
    free(plugin->path);
    free(plugin->source);
    memset(plugin, 0, sizeof *plugin);
}

static void config_clear_plugins(struct vm_config *config)
{
    for (size_t i = 0; i < config->plugin_count; i++)
        plugin_config_free(&config->plugins[i]);
    free(config->plugins);
    config->plugins = NULL;
    config->plugin_count = 0;
}

static void begin_section(struct ini_parse_state *st, const char *title)
{
    st->section_plugin = NULL;
    st->section_is_vm = false;
    if (strcmp(title, "vm") == 0) {
        st->section_is_vm = true;
        return;
    }
    if (strncmp(title, "plugin", 6) != 0 || !isspace((unsigned char)title[6])) {
        config_fail(st, "unknown section [%s] (expected [vm] or [plugin NAME])%s", title, "");
        return;
    }
    const char *name = title + 6;
    while (isspace((unsigned char)*name))
        name++;
    for (const char *p = name; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') {
            config_fail(st, "plugin name '%s' may hold only letters, digits, '_' and '-'%s", name,
                        "");
            return;
        }
    }
    struct vm_config *config = st->config;
    if (!st->replaced_plugins) {
        /* A file that declares plugins declares the whole device set. */
        config_clear_plugins(config);
        st->replaced_plugins = true;
    }
    for (size_t i = 0; i < config->plugin_count; i++) {
        if (strcmp(config->plugins[i].name, name) == 0) {
            char line[16];
            snprintf(line, sizeof line, "%d", config->plugins[i].line);
            config_fail(st, "plugin '%s' is declared twice (first at line %s)", name, line);
            return;
        }
    }
    config->plugins = xrealloc(config->plugins, config->plugin_count + 1, sizeof *config->plugins);
    struct plugin_config *plugin = &config->plugins[config->plugin_count++];
    memset(plugin, 0, sizeof *plugin);
    plugin->name = xstrdup(name);
    plugin->path = xstrdup(name); /* default: the bundled plugin of that name */
    plugin->source = xstrdup(st->source);
    plugin->line = st->builtin ? 0 : st->line;
    st->section_plugin = plugin;
}

/* Notices "[title]" lines before inih hands us their keys (see ini_parse_state). */
static void note_line(struct ini_parse_state *st, const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    if (*line != '[')
        return;
    const char *close = strchr(line, ']');
    if (!close)
        return; /* inih reports the syntax error */
    char title[256];
    size_t len = (size_t)(close - line - 1);
    if (len >= sizeof title)
        len = sizeof title - 1;
    memcpy(title, line + 1, len);
    title[len] = '\0';
    /* trim */
    char *start = title;
    while (isspace((unsigned char)*start))
        start++;
    char *end = start + strlen(start);
    while (end > start && isspace((unsigned char)end[-1]))
        *--end = '\0';
    begin_section(st, start);
}

static char *read_line(char *buf, int size, void *stream)
{
    struct ini_parse_state *st = stream;
    char *result;
    if (st->file) {
        result = fgets(buf, size, st->file);
    } else {
        if (*st->text == '\0')
            return NULL;
        const char *nl = strchr(st->text, '\n');
        size_t len = nl ? (size_t)(nl - st->text + 1) : strlen(st->text);
        if (len > (size_t)size - 1)
            len = (size_t)size - 1;
        memcpy(buf, st->text, len);
        buf[len] = '\0';
        st->text += len;
        result = buf;
    }
    if (!result)
        return NULL;
    st->line++;
    /* inih hands us a fixed buffer: a longer line would come back in pieces,
     * the rest parsed as lines of their own. Refuse it instead. */
    size_t len = strlen(buf);
    if (len == (size_t)size - 1 && buf[len - 1] != '\n') {
        int next = st->file ? getc(st->file) : (unsigned char)*st->text;
        if (st->file && next != EOF && next != '\n')
            ungetc(next, st->file);
        else if (!st->file && next == '\n')
            st->text++; /* the line just fitted: drop its newline */
        if (next != EOF && next != '\0' && next != '\n') {
            char max[16];
            snprintf(max, sizeof max, "%d", size - 1);
            config_fail(st, "line is too long (at most %s characters)%s", max, "");
            return NULL;
        }
    }
    note_line(st, buf);
    return result;
}

/* A second `memory = ...` in one file is a mistake worth naming. */
static int check_single_vm_key(struct ini_parse_state *st, const char *key)
{
    for (size_t i = 0; i < sizeof single_vm_keys / sizeof single_vm_keys[0]; i++) {
        if (strcmp(key, single_vm_keys[i]) != 0)
            continue;
        if (st->vm_key_lines[i]) {
            char first[16];
            snprintf(first, sizeof first, "%d", st->vm_key_lines[i]);
            config_fail(st, "key '%s' is given twice in [vm] (first at line %s)", key, first);
            return -1;
        }
        st->vm_key_lines[i] = st->line;
    }
    return 0;
}

static int set_vm_key(struct ini_parse_state *st, const char *key, const char *value)
{
    struct vm_config *config = st->config;
    if (check_single_vm_key(st, key))
        return 0;
    if (strcmp(key, "memory") == 0) {
        if (config_parse_size(value, &config->memory_bytes))
            return config_fail(st, "memory: '%s' is not a size (e.g. 512M, 4G)%s", value, "");
    } else if (strcmp(key, "root") == 0) {
        free(config->root);
        config->root = xstrdup(value);
    } else if (strcmp(key, "rw") == 0) {
        if (config_parse_bool(value, &config->rw))
            return config_fail(st, "rw: '%s' is not true or false%s", value, "");
    } else if (strcmp(key, "trace") == 0) {
        if (config_parse_bool(value, &config->trace))
            return config_fail(st, "trace: '%s' is not true or false%s", value, "");
    } else if (strcmp(key, "strace") == 0) {
        if (config_parse_bool(value, &config->strace))
            return config_fail(st, "strace: '%s' is not true or false%s", value, "");
    } else if (strcmp(key, "strace_output") == 0) {
        if (value[0] == '\0')
            return config_fail(st, "strace_output: the file name is empty%s%s", "", "");
        free(config->strace_output);
        config->strace_output = xstrdup(value);
        config->strace = true;
    } else if (strcmp(key, "timeout") == 0) {
        if (config_parse_duration_ms(value, &config->timeout_ms))
            return config_fail(st, "timeout: '%s' is not a duration (e.g. 10, 2.5s, 500ms)%s",
                               value, "");
    } else if (strcmp(key, "kernel") == 0) {
        free(config->kernel_path);
        config->kernel_path = xstrdup(value);
    } else if (strcmp(key, "program") == 0) {
        free(config->program);
        config->program = xstrdup(value);
    } else if (strcmp(key, "arg") == 0) {
        config->args = xrealloc(config->args, config->arg_count + 1, sizeof *config->args);
        config->args[config->arg_count++] = xstrdup(value);
    } else if (strcmp(key, "env") == 0) {
        if (config_set_env(config, value))
            return config_fail(st, "env: '%s' is not KEY=VALUE%s", value, "");
    } else if (strcmp(key, "mount") == 0) {
        char origin[300], why[300];
        snprintf(origin, sizeof origin, "%s:%d", st->source, st->line);
        if (config_add_mount(config, value, origin, why, sizeof why))
            return config_fail(st, "mount: %s%s", why, "");
    } else if (strcmp(key, "workdir") == 0) {
        if (value[0] != '/')
            return config_fail(st, "workdir: '%s' is not an absolute guest path%s", value, "");
        free(config->workdir);
        config->workdir = xstrdup(value);
    } else if (strcmp(key, "tmpfs") == 0) {
        char why[300];
        if (config_set_tmpfs(config, value, why, sizeof why))
            return config_fail(st, "tmpfs: %s%s", why, "");
    } else if (strcmp(key, "host_libraries") == 0) {
        if (config_parse_bool(value, &config->host_libraries))
            return config_fail(st, "host_libraries: '%s' is not true or false%s", value, "");
    } else {
        return config_fail(st, "unknown key '%s' in [vm]%s", key, "");
    }
    return 1;
}

static int handle_key(void *user, const char *section, const char *key, const char *value)
{
    struct ini_parse_state *st = user;
    (void)section; /* tracked by note_line, which also sees empty sections */
    if (st->failed)
        return 1;
    if (st->section_is_vm)
        return set_vm_key(st, key, value);
    struct plugin_config *plugin = st->section_plugin;
    if (!plugin)
        return config_fail(st, "key '%s' outside any [vm] or [plugin NAME] section%s", key, "");
    if (strcmp(key, "path") == 0) {
        if (*value == '\0')
            return config_fail(st, "plugin %s: path is empty%s", plugin->name, "");
        free(plugin->path);
        plugin->path = xstrdup(value);
        return 1;
    }
    for (size_t i = 0; i < plugin->entry_count; i++) {
        if (strcmp(plugin->entries[i].key, key) == 0)
            return config_fail(st, "plugin %s: key '%s' is given twice", plugin->name, key);
    }
    plugin->entries = xrealloc(plugin->entries, plugin->entry_count + 1, sizeof *plugin->entries);
    struct config_entry *entry = &plugin->entries[plugin->entry_count++];
    entry->key = xstrdup(key);
    entry->value = xstrdup(value);
    entry->line = st->builtin ? 0 : st->line;
    entry->used = false;
    return 1;
}

static int run_parse(struct vm_config *config, struct ini_parse_state *st)
{
    int rc = ini_parse_stream(read_line, st, handle_key, st);
    if (rc > 0 && !st->failed) {
        log_error("%s:%d: syntax error (expected [section], key = value, or a ; comment)",
                  st->source, rc);
        return -1;
    }
    if (rc < 0) {
        log_error("%s: cannot parse (out of memory)", st->source);
        return -1;
    }
    (void)config;
    return st->failed ? -1 : 0;
}

static void set_source(struct vm_config *config, const char *source, const char *dir)
{
    free(config->source);
    free(config->source_dir);
    config->source = xstrdup(source);
    config->source_dir = xstrdup(dir);
}

int config_load_string(struct vm_config *config, const char *text, const char *source)
{
    set_source(config, source, ".");
    struct ini_parse_state st = {.config = config, .source = config->source, .text = text};
    return run_parse(config, &st);
}

int config_load_file(struct vm_config *config, const char *path)
{
    FILE *file = fopen(path, "re");
    if (!file) {
        log_error("cannot open config file %s: %s", path, strerror(errno));
        return -1;
    }
    char *path_copy = xstrdup(path);
    set_source(config, path, dirname(path_copy));
    free(path_copy);
    struct ini_parse_state st = {.config = config, .source = config->source, .file = file};
    int rc = run_parse(config, &st);
    if (rc == 0 && ferror(file)) {
        log_error("cannot read config file %s: %s", path, strerror(errno));
        rc = -1;
    }
    fclose(file);
    return rc;
}

int config_load_defaults(struct vm_config *config)
{
    memset(config, 0, sizeof *config);
    set_source(config, CONFIG_BUILTIN_SOURCE, ".");
    struct ini_parse_state st = {
        .config = config, .source = config->source, .text = DEFAULT_CONFIG_INI, .builtin = true};
    return run_parse(config, &st);
}

void config_free(struct vm_config *config)
{
    config_clear_plugins(config);
    for (size_t i = 0; i < config->env_count; i++)
        free(config->env[i]);
    free(config->env);
    for (size_t i = 0; i < config->arg_count; i++)
        free(config->args[i]);
    free(config->args);
    for (size_t i = 0; i < config->mount_count; i++) {
        free(config->mounts[i].host);
        free(config->mounts[i].guest);
        free(config->mounts[i].origin);
    }
    free(config->mounts);
    clear_tmpfs(config);
    free(config->workdir);
    free(config->gdb_address);
    free(config->strace_output);
    free(config->program);
    free(config->root);
    free(config->kernel_path);
    free(config->source);
    free(config->source_dir);
    memset(config, 0, sizeof *config);
}
