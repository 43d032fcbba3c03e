/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/host/vq_cases.h: queue test cases run for both ring kinds by
 * test_vq_split.c and test_vq_packed.c (state: a bool *packed).
 */
#ifndef TESTS_HOST_VQ_CASES_H
#define TESTS_HOST_VQ_CASES_H

void vqcase_basic(void **state);
void vqcase_wrap_small(void **state);
void vqcase_wrap_1024(void **state);
void vqcase_indirect(void **state);
void vqcase_no_indirect_feature(void **state);
void vqcase_event_at_wrap(void **state);
void vqcase_interrupt_at_wrap(void **state);
void vqcase_out_of_order(void **state);
void vqcase_full(void **state);
void vqcase_bad_args(void **state);
void vqcase_cb_race(void **state);
void vqcase_no_event_idx(void **state);
void vqcase_reset_reinit(void **state);
void vqcase_sizes(void **state);
void vqcase_cpu_pointer(void **state);
void vqcase_multi_queue(void **state);

#define VQ_CASES(st)                                                                               \
	cmocka_unit_test_prestate(vqcase_basic, st),                                               \
	    cmocka_unit_test_prestate(vqcase_wrap_small, st),                                      \
	    cmocka_unit_test_prestate(vqcase_wrap_1024, st),                                       \
	    cmocka_unit_test_prestate(vqcase_indirect, st),                                        \
	    cmocka_unit_test_prestate(vqcase_no_indirect_feature, st),                             \
	    cmocka_unit_test_prestate(vqcase_event_at_wrap, st),                                   \
	    cmocka_unit_test_prestate(vqcase_interrupt_at_wrap, st),                               \
	    cmocka_unit_test_prestate(vqcase_out_of_order, st),                                    \
	    cmocka_unit_test_prestate(vqcase_full, st),                                            \
	    cmocka_unit_test_prestate(vqcase_bad_args, st),                                        \
	    cmocka_unit_test_prestate(vqcase_cb_race, st),                                         \
	    cmocka_unit_test_prestate(vqcase_no_event_idx, st),                                    \
	    cmocka_unit_test_prestate(vqcase_reset_reinit, st),                                    \
	    cmocka_unit_test_prestate(vqcase_sizes, st),                                           \
	    cmocka_unit_test_prestate(vqcase_cpu_pointer, st),                                     \
	    cmocka_unit_test_prestate(vqcase_multi_queue, st)

#endif /* TESTS_HOST_VQ_CASES_H */
