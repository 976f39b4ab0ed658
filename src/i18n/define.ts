/**
 * One message bundle per workflow, so engineers working on different workflows never edit
 * the same dictionary. `defineMessages` makes a missing zh-CN (or en) key a type error.
 */
export function defineMessages<K extends string>(en: Record<K, string>, zhCN: NoInfer<Record<K, string>>) {
  return { en, 'zh-CN': zhCN };
}
