/* Every process that exists (zombies included), by pid. */
#ifndef KERNEL_PROC_PROCESS_TABLE_H
#define KERNEL_PROC_PROCESS_TABLE_H

#include <stdint.h>

struct process;

/* Gives `p` a free pid and a slot: 0, or -EAGAIN when the table is full. */
int process_table_add(struct process *p);
void process_table_remove(struct process *p);

/* A process or thread id no process or thread uses (they share one space). */
int32_t pid_alloc(void);

#endif
