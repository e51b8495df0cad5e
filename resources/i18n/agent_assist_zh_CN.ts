<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertBanner</name>
    <message>
        <source>Acknowledge</source>
        <translation>已知晓</translation>
    </message>
</context>
<context>
    <name>AlertsController</name>
    <message>
        <source>{0} lines crossed</source>
        <translation>{0} 处越线</translation>
    </message>
    <message>
        <source>Said: {0}</source>
        <translation>原话：{0}</translation>
    </message>
    <message>
        <source>Reply: {0}</source>
        <translation>建议回应：{0}</translation>
    </message>
    <message>
        <source>Required statement not said yet</source>
        <translation>必说内容尚未说明</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Alerts</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Nothing needs your attention.</source>
        <translation>暂无需要处理的提醒。</translation>
    </message>
</context>
<context>
    <name>CallController</name>
    <message>
        <source>No speech model loaded</source>
        <translation>未加载语音模型</translation>
    </message>
    <message>
        <source>Demo call: a scripted dialogue is playing</source>
        <translation>演示通话：正在播放预设对话</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>正在听取</translation>
    </message>
    <message>
        <source>Starting the call…</source>
        <translation>正在开始通话…</translation>
    </message>
    <message>
        <source>The call could not start ({0}). Try again; if it fails again, restart.</source>
        <translation>通话无法开始（{0}）。请重试；如仍失败，请重启。</translation>
    </message>
    <message>
        <source>Audio problem: {0}</source>
        <translation>音频问题：{0}</translation>
    </message>
    <message>
        <source>{0} — the call was ended; start it again when that is fixed.</source>
        <translation>{0}——通话已结束；问题解决后请重新开始。</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>通话已结束</translation>
    </message>
</context>
<context>
    <name>CallControls</name>
    <message>
        <source>Start call</source>
        <translation>开始通话</translation>
    </message>
    <message>
        <source>Listen to the headset and follow the call live</source>
        <translation>监听耳机，实时跟进通话</translation>
    </message>
    <message>
        <source>End call</source>
        <translation>结束通话</translation>
    </message>
    <message>
        <source>Demo call</source>
        <translation>演示通话</translation>
    </message>
    <message>
        <source>Play a scripted call: no microphone or model needed</source>
        <translation>播放一段预设通话：无需麦克风或语音模型</translation>
    </message>
    <message>
        <source>How long the call has run</source>
        <translation>通话时长</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>Debtor</source>
        <translation>客户</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <source>Open a call from the queue (Enter).</source>
        <translation>从队列中打开一通通话（回车）。</translation>
    </message>
    <message>
        <source>1 · Valid breach</source>
        <translation>1 · 确属违规</translation>
    </message>
    <message>
        <source>2 · False positive</source>
        <translation>2 · 误报</translation>
    </message>
    <message>
        <source>3 · Needs coaching</source>
        <translation>3 · 需要辅导</translation>
    </message>
    <message>
        <source>L · Listen</source>
        <translation>L · 收听</translation>
    </message>
    <message>
        <source>Play the call&apos;s audio around the selected flag</source>
        <translation>播放所选提示前后的通话录音</translation>
    </message>
    <message>
        <source>A coaching note for the collector, or the review&apos;s summary</source>
        <translation>给催收员的辅导意见，或本次质检的总结</translation>
    </message>
    <message>
        <source>Send coaching note</source>
        <translation>发送辅导意见</translation>
    </message>
    <message>
        <source>Mark reviewed</source>
        <translation>标记为已质检</translation>
    </message>
    <message>
        <source>M · Note a missed flag…</source>
        <translation>M · 登记漏报…</translation>
    </message>
</context>
<context>
    <name>CallReviewController</name>
    <message>
        <source>Opening the call…</source>
        <translation>正在打开通话…</translation>
    </message>
    <message>
        <source>{who}, {when}, {length} · {state}</source>
        <translation>{who}，{when}，{length} · {state}</translation>
    </message>
    <message>
        <source>Write the note first.</source>
        <translation>请先填写意见。</translation>
    </message>
    <message>
        <source>Coaching note sent.</source>
        <translation>辅导意见已发送。</translation>
    </message>
    <message>
        <source>Marked reviewed.</source>
        <translation>已标记为已质检。</translation>
    </message>
    <message>
        <source>That did not work ({0}); try again.</source>
        <translation>操作未成功（{0}）；请重试。</translation>
    </message>
</context>
<context>
    <name>CaseStatus</name>
    <message>
        <source>active</source>
        <translation>正常催收</translation>
    </message>
    <message>
        <source>disputed</source>
        <translation>有异议</translation>
    </message>
    <message>
        <source>cease requested (no more calls)</source>
        <translation>要求停止催收（不再来电）</translation>
    </message>
    <message>
        <source>represented by a lawyer</source>
        <translation>已委托律师</translation>
    </message>
    <message>
        <source>deceased</source>
        <translation>已故</translation>
    </message>
    <message>
        <source>bankrupt</source>
        <translation>破产</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已结案</translation>
    </message>
</context>
<context>
    <name>Category</name>
    <message>
        <source>Threat</source>
        <translation>威胁恐吓</translation>
    </message>
    <message>
        <source>Insult</source>
        <translation>辱骂</translation>
    </message>
    <message>
        <source>False legal threat</source>
        <translation>虚假法律威胁</translation>
    </message>
    <message>
        <source>Debt disclosed to a third party</source>
        <translation>向第三方泄露欠款</translation>
    </message>
    <message>
        <source>Harassment</source>
        <translation>骚扰</translation>
    </message>
    <message>
        <source>Evasion</source>
        <translation>回避</translation>
    </message>
    <message>
        <source>Wishful thinking</source>
        <translation>侥幸心理</translation>
    </message>
    <message>
        <source>Hardship</source>
        <translation>经济困难</translation>
    </message>
    <message>
        <source>Dispute</source>
        <translation>异议</translation>
    </message>
    <message>
        <source>Promise to pay</source>
        <translation>承诺还款</translation>
    </message>
    <message>
        <source>Refusal to pay</source>
        <translation>拒绝还款</translation>
    </message>
    <message>
        <source>Wrong party</source>
        <translation>非本人</translation>
    </message>
    <message>
        <source>Complaint threat</source>
        <translation>扬言投诉</translation>
    </message>
    <message>
        <source>Vulnerable debtor</source>
        <translation>弱势客户</translation>
    </message>
    <message>
        <source>Has a lawyer</source>
        <translation>已委托律师</translation>
    </message>
    <message>
        <source>Asks to stop calling</source>
        <translation>要求停止来电</translation>
    </message>
</context>
<context>
    <name>CriticalFlagsModel</name>
    <message>
        <source>At</source>
        <translation>时刻</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>In the call</source>
        <translation>通话内时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>原话</translation>
    </message>
</context>
<context>
    <name>DiffController</name>
    <message>
        <source>Reading the published version…</source>
        <translation>正在读取已发布版本…</translation>
    </message>
    <message>
        <source>{ref}: the draft is the same as the published version.</source>
        <translation>{ref}：草稿与已发布版本相同。</translation>
    </message>
    <message>
        <source>{ref}: the draft differs from the published version.</source>
        <translation>{ref}：草稿与已发布版本不同。</translation>
    </message>
    <message>
        <source>Nothing of {ref} is published or shipped with the app: nothing to compare with.</source>
        <translation>{ref} 既未发布也未随程序提供：没有可对比的版本。</translation>
    </message>
    <message>
        <source>{ref}: the draft differs from the shipped files (nothing is published).</source>
        <translation>{ref}：草稿与程序自带的文件不同（尚未发布任何版本）。</translation>
    </message>
    <message>
        <source>{ref}: the draft is the same as the shipped files (nothing is published).</source>
        <translation>{ref}：草稿与程序自带的文件相同（尚未发布任何版本）。</translation>
    </message>
    <message>
        <source>The published version could not be read: {problem}</source>
        <translation>无法读取已发布版本：{problem}</translation>
    </message>
</context>
<context>
    <name>DrillController</name>
    <message>
        <source>Reading the scenarios and drills…</source>
        <translation>正在读取场景和演练…</translation>
    </message>
    <message>
        <source>Pick a scenario and start the drill.</source>
        <translation>请选择场景并开始演练。</translation>
    </message>
    <message>
        <source>No scenario to start.</source>
        <translation>没有可开始的场景。</translation>
    </message>
    <message>
        <source>Preparing the drill…</source>
        <translation>正在准备演练…</translation>
    </message>
    <message>
        <source>{0}: {1} {2} overdue {3} days ({4}).</source>
        <translation>{0}：{1} {2}，逾期 {3} 天（{4}）。</translation>
    </message>
    <message>
        <source>Goal: {0}</source>
        <translation>目标：{0}</translation>
    </message>
    <message>
        <source>Listening: answer the debtor aloud.</source>
        <translation>正在聆听：请直接口头回答债务人。</translation>
    </message>
    <message>
        <source>Debtor: {0}</source>
        <translation>客户：{0}</translation>
    </message>
    <message>
        <source>Drill kept on this computer; it is saved when the database answers.</source>
        <translation>演练已保存在本机；数据库恢复响应后会自动存入。</translation>
    </message>
    <message>
        <source>The database is not answering; try again when it answers.</source>
        <translation>数据库没有响应；请在恢复后重试。</translation>
    </message>
    <message>
        <source>Answer the debtor.</source>
        <translation>请回应客户。</translation>
    </message>
    <message>
        <source>You: {0}</source>
        <translation>你：{0}</translation>
    </message>
    <message>
        <source>Score so far: {0}</source>
        <translation>当前得分：{0}</translation>
    </message>
    <message>
        <source>Scoring the drill…</source>
        <translation>正在为演练评分…</translation>
    </message>
    <message>
        <source>Score: {0}</source>
        <translation>得分：{0}</translation>
    </message>
    <message>
        <source>Drill stored.</source>
        <translation>演练已保存。</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>合规</translation>
    </message>
    <message>
        <source>Required lines</source>
        <translation>必说内容</translation>
    </message>
    <message>
        <source>Suggested replies</source>
        <translation>建议回应</translation>
    </message>
    <message>
        <source>Tone</source>
        <translation>语气</translation>
    </message>
    <message>
        <source>Score {0} / 100</source>
        <translation>得分 {0} / 100</translation>
    </message>
    <message>
        <source>Score {0} / 100 (ended early: scored on the turns so far)</source>
        <translation>得分 {0} / 100（提前结束：按已进行的轮次评分）</translation>
    </message>
    <message>
        <source>What to practise:</source>
        <translation>需要练习：</translation>
    </message>
    <message>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
    <message>
        <source>no flags raised</source>
        <translation>未触发任何标记</translation>
    </message>
    <message>
        <source>flags raised: {0}</source>
        <translation>触发的标记：{0}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>no required lines</source>
        <translation>没有必说话术</translation>
    </message>
    <message>
        <source>{0} of {1} said</source>
        <translation>已说 {0}/{1} 条</translation>
    </message>
    <message>
        <source>no debtor cue asked for a suggested reply</source>
        <translation>没有需要建议回复的债务人信号</translation>
    </message>
    <message>
        <source>{0} of {1} used</source>
        <translation>已用 {0}/{1} 条</translation>
    </message>
    <message>
        <source>not measured: typed answers</source>
        <translation>未测量：文字作答</translation>
    </message>
    <message>
        <source>1 calm-down cue</source>
        <translation>1 次语气提醒</translation>
    </message>
    <message>
        <source>{0} calm-down cues</source>
        <translation>{0} 次语气提醒</translation>
    </message>
    <message>
        <source>Do not say “{0}” ({1}): {2}</source>
        <translation>不要说“{0}”（{1}）：{2}</translation>
    </message>
    <message>
        <source>Say it ({0}): {1}</source>
        <translation>必须说到（{0}）：{1}</translation>
    </message>
    <message>
        <source>When the debtor shows “{0}”, answer like: “{1}”</source>
        <translation>当债务人表现出“{0}”时，可以这样回答：“{1}”</translation>
    </message>
    <message>
        <source>Finish the scenario: the drill ended before the debtor&apos;s last line.</source>
        <translation>请完成整个场景：演练在债务人最后一句之前就结束了。</translation>
    </message>
    <message>
        <source>This drill was not finished.</source>
        <translation>这次演练未完成。</translation>
    </message>
    <message>
        <source>espeak-ng is not installed on this computer: the debtor&apos;s lines are shown only.</source>
        <translation>本机未安装 espeak-ng：债务人的话只显示文字。</translation>
    </message>
    <message>
        <source>No speech model for {0} is installed on this computer; add one in the call window or with `agent-assist models fetch {0}`.</source>
        <translation>本机没有安装 {0} 的语音模型；请在通话窗口中添加，或运行 `agent-assist models fetch {0}`。</translation>
    </message>
</context>
<context>
    <name>DrillHistoryModel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>unfinished</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>DrillPanel</name>
    <message>
        <source>Start drill</source>
        <translation>开始演练</translation>
    </message>
    <message>
        <source>Scenario:</source>
        <translation>场景：</translation>
    </message>
    <message>
        <source>Speak the debtor&apos;s lines</source>
        <translation>朗读债务人的话</translation>
    </message>
    <message>
        <source>Answer by voice</source>
        <translation>用语音回答</translation>
    </message>
    <message>
        <source>Your answer to the debtor</source>
        <translation>你对客户的回应</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>回应</translation>
    </message>
    <message>
        <source>End drill</source>
        <translation>结束演练</translation>
    </message>
    <message>
        <source>The report appears when the drill ends.</source>
        <translation>演练结束后显示报告。</translation>
    </message>
    <message>
        <source>The database is not answering; this drill is kept on this computer and saved when it answers.</source>
        <translation>数据库没有响应；本次演练先保存在本机，恢复后自动存入。</translation>
    </message>
</context>
<context>
    <name>EditorController</name>
    <message>
        <source>No problems: the draft loads.</source>
        <translation>没有问题：草稿可以加载。</translation>
    </message>
    <message>
        <source>1 problem: the draft does not load until it is fixed.</source>
        <translation>1 个问题：修正之前草稿无法加载。</translation>
    </message>
    <message>
        <source>{count} problems: the draft does not load until they are fixed.</source>
        <translation>{count} 个问题：全部修正之前草稿无法加载。</translation>
    </message>
    <message>
        <source>The draft could not be checked: {problem}</source>
        <translation>无法检查草稿：{problem}</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>The files could not be written: {problem}. Your changes are still here.</source>
        <translation>文件无法写入：{problem}。你的修改仍保留在这里。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Save the changes to {files} before closing?</source>
        <translation>关闭前保存对 {files} 的修改吗？</translation>
    </message>
</context>
<context>
    <name>EditorPanel</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Run examples</source>
        <translation>运行样例</translation>
    </message>
    <message>
        <source>Compare with what desktops run</source>
        <translation>与桌面端正在运行的版本对比</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Try a sentence</source>
        <translation>试一句话</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>样例</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>差异</translation>
    </message>
</context>
<context>
    <name>ExamplesModel</name>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预期</translation>
    </message>
    <message>
        <source>Example</source>
        <translation>样例</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>should flag</source>
        <translation>应提示</translation>
    </message>
    <message>
        <source>should not flag</source>
        <translation>不应提示</translation>
    </message>
</context>
<context>
    <name>ExamplesPanel</name>
    <message>
        <source>Press F5 to run the pack&apos;s examples.</source>
        <translation>按 F5 运行规则包的样例。</translation>
    </message>
</context>
<context>
    <name>FiredModel</name>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>匹配片段</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>{kind}, cancelled</source>
        <translation>{kind}，已排除</translation>
    </message>
    <message>
        <source>cancelled by {exclusion}; pattern {pattern}</source>
        <translation>被 {exclusion} 排除；模式 {pattern}</translation>
    </message>
    <message>
        <source>pattern {pattern}: {explanation}</source>
        <translation>模式 {pattern}：{explanation}</translation>
    </message>
</context>
<context>
    <name>FlagsModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>原话</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>FloorCallsModel</name>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>开始于</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>提示数</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
</context>
<context>
    <name>FloorController</name>
    <message>
        <source>Watching the floor…</source>
        <translation>正在监控现场…</translation>
    </message>
    <message>
        <source>{calls} calls in progress, {critical} critical flags</source>
        <translation>{calls} 通通话进行中，{critical} 条严重提示</translation>
    </message>
    <message>
        <source>The floor could not be read ({0}); trying again.</source>
        <translation>无法读取现场情况（{0}）；正在重试。</translation>
    </message>
</context>
<context>
    <name>FloorPanel</name>
    <message>
        <source>Calls in progress</source>
        <translation>进行中的通话</translation>
    </message>
    <message>
        <source>Critical flags, newest first</source>
        <translation>严重提示（最新在前）</translation>
    </message>
</context>
<context>
    <name>MainController</name>
    <message>
        <source>A call is in progress</source>
        <translation>通话进行中</translation>
    </message>
    <message>
        <source>End the call and close Agent Assist? Everything said so far is kept.</source>
        <translation>结束通话并关闭坐席助手？目前为止的通话内容都会保存。</translation>
    </message>
    <message>
        <source>Loading the worklist…</source>
        <translation>正在加载工作列表…</translation>
    </message>
    <message>
        <source>{n} cases</source>
        <translation>{n} 个案件</translation>
    </message>
    <message>
        <source>The worklist could not be read ({0}); try Refresh.</source>
        <translation>无法读取工作列表（{0}）；请点击刷新重试。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Agent Assist</source>
        <translation>坐席助手</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Speech model…</source>
        <translation>语音模型…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Worklist</source>
        <translation>工作列表</translation>
    </message>
    <message>
        <source>Refresh worklist</source>
        <translation>刷新工作列表</translation>
    </message>
</context>
<context>
    <name>MissedFlagController</name>
    <message>
        <source>Open a call first.</source>
        <translation>请先打开一通通话。</translation>
    </message>
    <message>
        <source>Select the transcript line with the missed words first.</source>
        <translation>请先选择包含漏报原话的转写行。</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>Debtor</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>{speaker}, line {number}</source>
        <translation>{speaker}，第 {number} 行</translation>
    </message>
    <message>
        <source>Write the words that should have been flagged.</source>
        <translation>请填写本应被提示的原话。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Missed flag noted for the trainers.</source>
        <translation>漏报已登记，供培训师处理。</translation>
    </message>
    <message>
        <source>That did not work ({0}); try again.</source>
        <translation>操作未成功（{0}）；请重试。</translation>
    </message>
</context>
<context>
    <name>MissedFlagDialog</name>
    <message>
        <source>Note a missed flag</source>
        <translation>登记漏报</translation>
    </message>
    <message>
        <source>The words that should have been flagged</source>
        <translation>本应被提示的原话</translation>
    </message>
    <message>
        <source>Why, for the trainer (optional)</source>
        <translation>原因，供培训师参考（选填）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>原话</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <source>Loading the speech model {name}…</source>
        <translation>正在加载语音模型 {name}…</translation>
    </message>
    <message>
        <source>The speech model {name} could not be loaded because of an internal error; the details are in the log. Choose another model folder or restart the app.</source>
        <translation>语音模型 {name} 因内部错误无法加载，详情见日志。请选择其他模型文件夹或重启程序。</translation>
    </message>
    <message>
        <source>Speech model: {name}</source>
        <translation>语音模型：{name}</translation>
    </message>
    <message>
        <source>No speech model installed: demo call only</source>
        <translation>未安装语音模型：仅可演示通话</translation>
    </message>
    <message>
        <source>No speech model loaded</source>
        <translation>未加载语音模型</translation>
    </message>
</context>
<context>
    <name>ModelDownloadController</name>
    <message>
        <source>Download Mandarin model ({size} MB)</source>
        <translation>下载普通话模型（{size} MB）</translation>
    </message>
    <message>
        <source>Download English model ({size} MB)</source>
        <translation>下载英语模型（{size} MB）</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Choose a speech model folder</source>
        <translation>选择语音模型文件夹</translation>
    </message>
    <message>
        <source>Adding the model from {folder}…</source>
        <translation>正在从 {folder} 添加模型…</translation>
    </message>
    <message>
        <source>Download cancelled. The part already downloaded is kept: press the download button again to resume.</source>
        <translation>下载已取消。已下载的部分会保留：再次点击下载按钮即可继续。</translation>
    </message>
    <message>
        <source>The download failed: {reason}</source>
        <translation>下载失败：{reason}</translation>
    </message>
    <message>
        <source>{done} of {total} MB</source>
        <translation>{done} / {total} MB</translation>
    </message>
    <message>
        <source>{done} MB</source>
        <translation>{done} MB</translation>
    </message>
    <message>
        <source>Download or choose a speech model</source>
        <translation>下载或选择语音模型</translation>
    </message>
    <message>
        <source>Mandarin</source>
        <translation>普通话</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>No {language} speech model is installed</source>
        <translation>未安装{language}语音模型</translation>
    </message>
    <message>
        <source>The speech model could not be loaded</source>
        <translation>语音模型无法加载</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>Live transcripts and flags need a speech model for the call&apos;s language. Speech is recognised on this PC: no audio or text leaves it. Download a model once, or choose a model folder you already have. The demo call works without one.</source>
        <translation>实时转写和风险提示需要与通话语言对应的语音模型。语音识别在本机完成：音频和文字都不会离开这台电脑。请下载一次模型，或选择已有的模型文件夹。演示通话无需模型。</translation>
    </message>
    <message>
        <source>Choose a model folder…</source>
        <translation>选择模型文件夹…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Outcome</name>
    <message>
        <source>Promise to pay</source>
        <translation>承诺还款</translation>
    </message>
    <message>
        <source>Refused to pay</source>
        <translation>拒绝还款</translation>
    </message>
    <message>
        <source>Disputes the debt</source>
        <translation>对欠款有异议</translation>
    </message>
    <message>
        <source>Call back later</source>
        <translation>稍后回电</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>Wrong number</source>
        <translation>号码错误</translation>
    </message>
    <message>
        <source>Reached a third party</source>
        <translation>第三方接听</translation>
    </message>
    <message>
        <source>Asked us to stop calling</source>
        <translation>要求停止来电</translation>
    </message>
    <message>
        <source>Represented by a lawyer</source>
        <translation>已委托律师</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>占线</translation>
    </message>
    <message>
        <source>Hung up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Voicemail</source>
        <translation>语音信箱</translation>
    </message>
    <message>
        <source>Number disconnected</source>
        <translation>停机/空号</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
</context>
<context>
    <name>PlaybackController</name>
    <message>
        <source>Select a flag to listen around it.</source>
        <translation>请选择一条提示，收听其前后的录音。</translation>
    </message>
    <message>
        <source>This call was not recorded (recording is off in the collector&apos;s settings, or its retention period is over).</source>
        <translation>这通通话没有录音（催收员的设置中关闭了录音，或录音已过保存期限）。</translation>
    </message>
    <message>
        <source>The recording is kept on the collector&apos;s computer ({0}); it is not on this one.</source>
        <translation>录音保存在催收员的电脑上（{0}），不在这台电脑上。</translation>
    </message>
    <message>
        <source>L · Stop</source>
        <translation>L · 停止</translation>
    </message>
    <message>
        <source>Playing {0}…</source>
        <translation>正在播放 {0}…</translation>
    </message>
    <message>
        <source>L · Listen</source>
        <translation>L · 收听</translation>
    </message>
    <message>
        <source>Played {0}.</source>
        <translation>已播放 {0}。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Cannot play the recording ({0}).</source>
        <translation>无法播放录音（{0}）。</translation>
    </message>
</context>
<context>
    <name>ProfileController</name>
    <message>
        <source>not on file</source>
        <translation>未登记</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>{0} — on {1} past call(s)</source>
        <translation>{0}——出现在 {1} 次历史通话中</translation>
    </message>
</context>
<context>
    <name>ProfilePanel</name>
    <message>
        <source>Debtor profile</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phones</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期金额</translation>
    </message>
    <message>
        <source>Principal</source>
        <translation>本金</translation>
    </message>
    <message>
        <source>Days past due</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>客户分类</translation>
    </message>
    <message>
        <source>Credit tier</source>
        <translation>信用等级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Promises</source>
        <translation>还款承诺</translation>
    </message>
    <message>
        <source>Recent call attempts</source>
        <translation>近期联系记录</translation>
    </message>
    <message>
        <source>Flags from past calls</source>
        <translation>历史通话提示</translation>
    </message>
</context>
<context>
    <name>PromiseState</name>
    <message>
        <source>pending</source>
        <translation>待履行</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>已履行</translation>
    </message>
    <message>
        <source>broken</source>
        <translation>已违约</translation>
    </message>
</context>
<context>
    <name>Proposals</name>
    <message>
        <source>Accept into rule</source>
        <translation>采纳到规则</translation>
    </message>
    <message>
        <source>Add “{0}” to the examples of:</source>
        <translation>将“{0}”加入以下规则的样例：</translation>
    </message>
</context>
<context>
    <name>ProposalsController</name>
    <message>
        <source>Reading the proposals…</source>
        <translation>正在读取提议…</translation>
    </message>
    <message>
        <source>{0} proposals waiting.</source>
        <translation>{0} 条提议待处理。</translation>
    </message>
    <message>
        <source>Nothing waiting.</source>
        <translation>没有待处理的提议。</translation>
    </message>
    <message>
        <source>Select a proposal first.</source>
        <translation>请先选择一条提议。</translation>
    </message>
    <message>
        <source>The pack has no rule for {0}: write one in the editor first.</source>
        <translation>规则包中没有针对 {0} 的规则：请先在编辑器中编写一条。</translation>
    </message>
    <message>
        <source>Adding the example and running it…</source>
        <translation>正在添加样例并运行…</translation>
    </message>
    <message>
        <source>Should flag</source>
        <translation>应提示</translation>
    </message>
    <message>
        <source>Should not flag</source>
        <translation>不应提示</translation>
    </message>
    <message>
        <source>Added to {rule} as {kind}.</source>
        <translation>已作为 {kind} 样例加入 {rule}。</translation>
    </message>
    <message>
        <source>{rule} already had this example.</source>
        <translation>{rule} 已有这条样例。</translation>
    </message>
    <message>
        <source>The rule still flags it: give the rule an exclusion so that its examples pass.</source>
        <translation>规则仍会提示这句话：请为规则添加排除项，使其样例通过。</translation>
    </message>
    <message>
        <source>The rule does not flag it yet: add a pattern that covers it.</source>
        <translation>规则尚不会提示这句话：请添加能覆盖它的模式。</translation>
    </message>
    <message>
        <source>Dismissed.</source>
        <translation>已忽略。</translation>
    </message>
    <message>
        <source>That did not work ({0}); try again.</source>
        <translation>操作未成功（{0}）；请重试。</translation>
    </message>
</context>
<context>
    <name>ProposalsModel</name>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>原话</translation>
    </message>
    <message>
        <source>Rule or category</source>
        <translation>规则或类别</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>提出人</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Should flag</source>
        <translation>应提示</translation>
    </message>
    <message>
        <source>Should not flag</source>
        <translation>不应提示</translation>
    </message>
    <message>
        <source>Flagged words: {0}</source>
        <translation>被提示的原话：{0}</translation>
    </message>
</context>
<context>
    <name>ProposalsPanel</name>
    <message>
        <source>Flags team leads judged false positives propose examples the rule should not flag; breaches they noted as missed propose examples it should flag.</source>
        <translation>组长判定为误报的提示，会成为规则不应提示的样例提议；组长登记的漏报违规，会成为规则应提示的样例提议。</translation>
    </message>
    <message>
        <source>Accept into rule…</source>
        <translation>采纳到规则…</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
</context>
<context>
    <name>Publish</name>
    <message>
        <source>Publish this draft</source>
        <translation>发布此草稿</translation>
    </message>
    <message>
        <source>Publish {0} as version:</source>
        <translation>将 {0} 发布为版本：</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Only saved files are published, and {0} has unsaved changes. Save now?</source>
        <translation>只有已保存的文件才会发布，而 {0} 有未保存的修改。现在保存吗？</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>Roll {0} back from {1} to {2}? Desktops run {2} from their next call.</source>
        <translation>将 {0} 从 {1} 回滚到 {2}？桌面端从下一通电话起运行 {2}。</translation>
    </message>
    <message>
        <source>the files shipped with the app</source>
        <translation>程序自带的文件</translation>
    </message>
    <message>
        <source>all teams&apos; version</source>
        <translation>所有团队的版本</translation>
    </message>
    <message>
        <source>Editing the folder {0}.</source>
        <translation>正在编辑文件夹 {0}。</translation>
    </message>
    <message>
        <source>from the shipped files</source>
        <translation>基于程序自带的文件</translation>
    </message>
    <message>
        <source>its origin was not recorded</source>
        <translation>来源未记录</translation>
    </message>
    <message>
        <source>from published {0}</source>
        <translation>基于已发布的 {0}</translation>
    </message>
    <message>
        <source>Editing the working copy {0} ({1}).</source>
        <translation>正在编辑工作副本 {0}（{1}）。</translation>
    </message>
</context>
<context>
    <name>PublishController</name>
    <message>
        <source>Rule pack {0}</source>
        <translation>规则包 {0}</translation>
    </message>
    <message>
        <source>Script library {0}</source>
        <translation>话术库 {0}</translation>
    </message>
    <message>
        <source>every team&apos;s desktops run it from their next call</source>
        <translation>所有团队的桌面端从下一通电话起运行它</translation>
    </message>
    <message>
        <source>every desktop of team {0} runs it from its next call</source>
        <translation>团队 {0} 的每台桌面端从下一通电话起运行它</translation>
    </message>
    <message>
        <source>Desktops of team {0} run the files shipped with the app.</source>
        <translation>团队 {0} 的桌面端运行程序自带的文件。</translation>
    </message>
    <message>
        <source>Desktops of team {0} run {1}.</source>
        <translation>团队 {0} 的桌面端运行 {1}。</translation>
    </message>
    <message>
        <source>Desktops run the files shipped with the app.</source>
        <translation>坐席端正在使用程序自带的文件。</translation>
    </message>
    <message>
        <source>Desktops run {0}.</source>
        <translation>坐席端正在使用 {0}。</translation>
    </message>
    <message>
        <source>Not published: save your changes first.</source>
        <translation>未发布：请先保存修改。</translation>
    </message>
    <message>
        <source>Not published: the changes could not be saved.</source>
        <translation>未发布：修改无法保存。</translation>
    </message>
    <message>
        <source>Checking the draft…</source>
        <translation>正在检查草稿…</translation>
    </message>
    <message>
        <source>Not published: the draft says it is {0}, but this is {1}.</source>
        <translation>未发布：草稿标明为 {0}，但这里是 {1}。</translation>
    </message>
    <message>
        <source>This draft is published already as {0}, the active version.</source>
        <translation>此草稿已发布为 {0}，即当前生效版本。</translation>
    </message>
    <message>
        <source>This draft is published already as {0}: select it and press Make active.</source>
        <translation>此草稿已发布为 {0}：请选中它并点击“设为生效”。</translation>
    </message>
    <message>
        <source>Not published.</source>
        <translation>未发布。</translation>
    </message>
    <message>
        <source>Publishing {0} {1}…</source>
        <translation>正在发布 {0} {1}…</translation>
    </message>
    <message>
        <source>Published {0} {1}: {2}.</source>
        <translation>已发布 {0} {1}：{2}。</translation>
    </message>
    <message>
        <source>{0} {1} is active: {2}.</source>
        <translation>{0} {1} 已启用：{2}。</translation>
    </message>
    <message>
        <source>Team {0} follows all teams&apos; version already: nothing to roll back.</source>
        <translation>团队 {0} 已在使用所有团队的版本：无需回滚。</translation>
    </message>
    <message>
        <source>{0} is back to {1}: {2}.</source>
        <translation>{0} 已回到 {1}：{2}。</translation>
    </message>
    <message>
        <source>Select a version first.</source>
        <translation>请先选择一个版本。</translation>
    </message>
    <message>
        <source>Making {0} active…</source>
        <translation>正在将 {0} 设为生效…</translation>
    </message>
    <message>
        <source>Desktops run the shipped files already: nothing to roll back.</source>
        <translation>坐席端已在使用程序自带的文件：无需回滚。</translation>
    </message>
    <message>
        <source>Not rolled back.</source>
        <translation>未回滚。</translation>
    </message>
    <message>
        <source>Rolling back…</source>
        <translation>正在回滚…</translation>
    </message>
    <message>
        <source>Not published: the draft has 1 problem. Fix it and publish again:</source>
        <translation>未发布：草稿有 1 个问题。请修正后重新发布：</translation>
    </message>
    <message>
        <source>Not published: the draft has {0} problems. Fix them and publish again:</source>
        <translation>未发布：草稿有 {0} 个问题。请修正后重新发布：</translation>
    </message>
    <message>
        <source>That did not work ({0}); try again.</source>
        <translation>操作未成功（{0}）；请重试。</translation>
    </message>
</context>
<context>
    <name>PublishPanel</name>
    <message>
        <source>Publishing makes a version the one desktops run from their next call, without a restart: for all teams, or for one team first, whose desktops then run it instead of all teams&apos; version. Every publish, activation and rollback is recorded with your name.</source>
        <translation>发布后，桌面端从下一通电话起运行该版本，无需重启：可发布给所有团队，也可先发布给某一个团队，该团队的桌面端将用它代替所有团队的版本。每次发布、启用和回滚都会记录您的姓名。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>所有团队</translation>
    </message>
    <message>
        <source>For:</source>
        <translation>适用于：</translation>
    </message>
</context>
<context>
    <name>PublishSection</name>
    <message>
        <source>Publish this draft…</source>
        <translation>发布此草稿…</translation>
    </message>
    <message>
        <source>Make active</source>
        <translation>设为生效</translation>
    </message>
    <message>
        <source>Roll back…</source>
        <translation>回滚…</translation>
    </message>
</context>
<context>
    <name>Purpose</name>
    <message>
        <source>Opening</source>
        <translation>开场</translation>
    </message>
    <message>
        <source>Who is calling</source>
        <translation>表明身份</translation>
    </message>
    <message>
        <source>What is owed</source>
        <translation>欠款说明</translation>
    </message>
    <message>
        <source>Consequences</source>
        <translation>逾期后果</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回应</translation>
    </message>
    <message>
        <source>Repayment plan</source>
        <translation>还款方案</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>核实</translation>
    </message>
    <message>
        <source>Someone else answered</source>
        <translation>他人接听</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>升级处理</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>结束语</translation>
    </message>
</context>
<context>
    <name>QueueController</name>
    <message>
        <source>Any</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>All calls</source>
        <translation>所有通话</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>最新在前</translation>
    </message>
    <message>
        <source>Most severe first</source>
        <translation>最严重在前</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>{n} calls</source>
        <translation>{n} 通通话</translation>
    </message>
    <message>
        <source>page {page}</source>
        <translation>第 {page} 页</translation>
    </message>
    <message>
        <source>page {page} of {pages}</source>
        <translation>第 {page} / {pages} 页</translation>
    </message>
    <message>
        <source>The queue could not be read ({0}); try Refresh.</source>
        <translation>无法读取质检队列（{0}）；请点击刷新重试。</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>提示数</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Most severe</source>
        <translation>最高严重程度</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>质检</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>At least</source>
        <translation>至少</translation>
    </message>
    <message>
        <source>Flag state</source>
        <translation>提示状态</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>质检</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>any</source>
        <translation>全部</translation>
    </message>
</context>
<context>
    <name>ReportController</name>
    <message>
        <source>Reading the report…</source>
        <translation>正在读取报告…</translation>
    </message>
    <message>
        <source>PDF report (*.pdf)</source>
        <translation>PDF 报告 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Export the review report</source>
        <translation>导出质检报告</translation>
    </message>
    <message>
        <source>Writing {file}…</source>
        <translation>正在写入 {file}…</translation>
    </message>
    <message>
        <source>{since} to {until}, team: {team}</source>
        <translation>{since} 至 {until}，团队：{team}</translation>
    </message>
    <message>
        <source>all teams</source>
        <translation>所有团队</translation>
    </message>
    <message>
        <source>Flags per collector</source>
        <translation>各催收员提示数</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>提示数</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Trend per category (top {n})</source>
        <translation>各类别趋势（前 {n} 名）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>False-positive rate per rule, worst first</source>
        <translation>各规则误报率（最高在前）</translation>
    </message>
    <message>
        <source>False positives</source>
        <translation>误报数</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Verdicts</source>
        <translation>判定数</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>比率</translation>
    </message>
    <message>
        <source>Promises kept per collector</source>
        <translation>各催收员承诺履行情况</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>已履行</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Broken</source>
        <translation>已违约</translation>
    </message>
    <message>
        <source>Nothing in this period.</source>
        <translation>该时段内没有数据。</translation>
    </message>
    <message>
        <source>The report could not be read ({0}). Try Refresh again.</source>
        <translation>无法读取报告（{0}）。请再次点击刷新。</translation>
    </message>
    <message>
        <source>Report written to {file}</source>
        <translation>报告已写入 {file}</translation>
    </message>
    <message>
        <source>The report could not be written ({0}).</source>
        <translation>报告无法写入（{0}）。</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <source>Required statement missed</source>
        <translation>遗漏必说内容</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>已触发</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Retracted</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>Not judged</source>
        <translation>未判定</translation>
    </message>
    <message>
        <source>Valid breach</source>
        <translation>确属违规</translation>
    </message>
    <message>
        <source>False positive</source>
        <translation>误报</translation>
    </message>
    <message>
        <source>Needs coaching</source>
        <translation>需要辅导</translation>
    </message>
    <message>
        <source>Nothing flagged</source>
        <translation>无提示</translation>
    </message>
    <message>
        <source>Unreviewed</source>
        <translation>未质检</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>已质检</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <source>Agent Assist · Review</source>
        <translation>坐席助手 · 质检</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>质检</translation>
    </message>
    <message>
        <source>Live floor</source>
        <translation>实时现场</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
</context>
<context>
    <name>RuleForm</name>
    <message>
        <source>Write to the YAML</source>
        <translation>写入 YAML</translation>
    </message>
    <message>
        <source>Rewrite this rule in the file; comments are kept</source>
        <translation>在文件中重写这条规则；注释会保留</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Patterns (one per line)</source>
        <translation>模式（每行一个）</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Reply script</source>
        <translation>回应话术</translation>
    </message>
    <message>
        <source>Should flag</source>
        <translation>应提示</translation>
    </message>
    <message>
        <source>Should not flag</source>
        <translation>不应提示</translation>
    </message>
</context>
<context>
    <name>RuleFormController</name>
    <message>
        <source>The category&apos;s default</source>
        <translation>类别默认值</translation>
    </message>
    <message>
        <source>Rule {id}, line {line}</source>
        <translation>规则 {id}，第 {line} 行</translation>
    </message>
    <message>
        <source>Put the cursor in a rule of a rules file to edit it here.</source>
        <translation>将光标放在规则文件中的某条规则内，即可在此编辑。</translation>
    </message>
    <message>
        <source>The file changed under the form: put the cursor in the rule again.</source>
        <translation>文件已在表单之外被修改：请重新将光标放在该规则内。</translation>
    </message>
    <message>
        <source>The text changed while the rule was being written: write it again.</source>
        <translation>写入规则时文本已被修改：请重新写入。</translation>
    </message>
    <message>
        <source>The rule could not be written: {problem}</source>
        <translation>规则无法写入：{problem}</translation>
    </message>
</context>
<context>
    <name>ScriptController</name>
    <message>
        <source>Choose a case to see what to say.</source>
        <translation>请选择案件以查看建议话术。</translation>
    </message>
    <message>
        <source>Stage {0}: opening the call</source>
        <translation>阶段 {0}：开场</translation>
    </message>
    <message>
        <source>Debtor: {0}</source>
        <translation>客户：{0}</translation>
    </message>
</context>
<context>
    <name>ScriptPanel</name>
    <message>
        <source>Suggested script</source>
        <translation>建议话术</translation>
    </message>
</context>
<context>
    <name>Segment</name>
    <message>
        <source>Able and willing</source>
        <translation>有能力·有意愿</translation>
    </message>
    <message>
        <source>Able, unwilling</source>
        <translation>有能力·无意愿</translation>
    </message>
    <message>
        <source>Willing, unable</source>
        <translation>有意愿·无能力</translation>
    </message>
    <message>
        <source>Unable, unwilling</source>
        <translation>无能力·无意愿</translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>Debtor</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Looking for audio devices…</source>
        <translation>正在查找音频设备…</translation>
    </message>
    <message>
        <source>Something went wrong inside Agent Assist; the details are in its log. Try again, or restart Agent Assist.</source>
        <translation>坐席助手内部出错，详情见日志。请重试或重启坐席助手。</translation>
    </message>
    <message>
        <source>System default input</source>
        <translation>系统默认输入</translation>
    </message>
    <message>
        <source>None: the collector only</source>
        <translation>无：仅催收员一路</translation>
    </message>
    <message>
        <source>The saved channel map is not valid ({problem}); choose the collector&apos;s channel.</source>
        <translation>保存的声道映射无效（{problem}）；请选择催收员所在声道。</translation>
    </message>
    <message>
        <source>{name} (not connected)</source>
        <translation>{name}（未连接）</translation>
    </message>
    <message>
        <source>{problem}. Plug it in and restart Agent Assist, or choose another device.</source>
        <translation>{problem}。请插好设备后重启坐席助手，或选择其他设备。</translation>
    </message>
    <message>
        <source>Recording {seconds} s: say a few words into the headset, and have the debtor&apos;s side play some sound…</source>
        <translation>正在录音 {seconds} 秒：请对着耳机说几句话，并让客户一侧播放一些声音…</translation>
    </message>
    <message>
        <source>Playing it back…</source>
        <translation>正在回放…</translation>
    </message>
    <message>
        <source>{role}: no audio arrived.</source>
        <translation>{role}：没有收到音频。</translation>
    </message>
    <message>
        <source>{role}: too loud, it clipped ({peak:.0f} dB peak): turn the input volume down.</source>
        <translation>{role}：音量过大，已削波（峰值 {peak:.0f} dB）：请调低输入音量。</translation>
    </message>
    <message>
        <source>{role}: silent ({peak:.0f} dB peak). Check that the right device is chosen and not muted.</source>
        <translation>{role}：无声（峰值 {peak:.0f} dB）。请确认选择了正确的设备且未静音。</translation>
    </message>
    <message>
        <source>{role}: quiet ({peak:.0f} dB peak): turn the input volume up or bring the microphone closer.</source>
        <translation>{role}：音量偏小（峰值 {peak:.0f} dB）：请调高输入音量或让麦克风靠近一些。</translation>
    </message>
    <message>
        <source>{role}: good level ({peak:.0f} dB peak).</source>
        <translation>{role}：音量合适（峰值 {peak:.0f} dB）。</translation>
    </message>
    <message>
        <source>It could not be played back ({problem}); judge it by the levels above.</source>
        <translation>无法回放（{problem}）；请根据上方的音量判断。</translation>
    </message>
    <message>
        <source>Played back through the default output: the collector left, the debtor right.</source>
        <translation>已通过默认输出回放：催收员在左声道，客户在右声道。</translation>
    </message>
    <message>
        <source>Played back through the default output.</source>
        <translation>已通过默认输出回放。</translation>
    </message>
    <message>
        <source>The set-up changed: press Test recording again.</source>
        <translation>设置已更改：请再次点击“测试录音”。</translation>
    </message>
    <message>
        <source>Automatic: the installed model for the language</source>
        <translation>自动：使用该语言已安装的模型</translation>
    </message>
    <message>
        <source>Choose a speech model folder</source>
        <translation>选择语音模型文件夹</translation>
    </message>
    <message>
        <source>{folder} is not a Vosk speech model: it lacks {files}. Choose the folder that holds the model&apos;s am and conf folders.</source>
        <translation>{folder} 不是 Vosk 语音模型：缺少 {files}。请选择包含模型 am 和 conf 文件夹的目录。</translation>
    </message>
    <message>
        <source>Automatic: the bundled pack for the call&apos;s language</source>
        <translation>自动：使用通话语言的内置规则包</translation>
    </message>
    <message>
        <source>Automatic: the bundled library for the call&apos;s language</source>
        <translation>自动：使用通话语言的内置话术库</translation>
    </message>
    <message>
        <source>Choose a rule pack folder</source>
        <translation>选择规则包文件夹</translation>
    </message>
    <message>
        <source>Choose a script library folder</source>
        <translation>选择话术库文件夹</translation>
    </message>
    <message>
        <source>Checking {folder}…</source>
        <translation>正在检查 {folder}…</translation>
    </message>
    <message>
        <source>Enter the team server&apos;s URL, e.g. postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE, or choose the embedded database.</source>
        <translation>请输入团队服务器地址，例如 postgresql+psycopg://用户名:密码@主机:5432/数据库，或选择本机内置数据库。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Cannot connect: {problem}</source>
        <translation>无法连接：{problem}</translation>
    </message>
    <message>
        <source>Connected. The database is empty: Agent Assist creates its tables when it starts with it.</source>
        <translation>已连接。数据库为空：坐席助手使用它启动时会自动建表。</translation>
    </message>
    <message>
        <source>Connected.</source>
        <translation>已连接。</translation>
    </message>
    <message>
        <source>Loading the users…</source>
        <translation>正在加载用户…</translation>
    </message>
    <message>
        <source>The users could not be read: {problem}</source>
        <translation>无法读取用户：{problem}</translation>
    </message>
    <message>
        <source>{name} (not an active user)</source>
        <translation>{name}（非在用用户）</translation>
    </message>
    <message>
        <source>{name} is not an active user of this database: choose another.</source>
        <translation>{name} 不是该数据库的在用用户：请另选。</translation>
    </message>
    <message>
        <source>Choose the collector&apos;s microphone.</source>
        <translation>请选择催收员的麦克风。</translation>
    </message>
    <message>
        <source>The settings could not be saved: {problem}</source>
        <translation>设置无法保存：{problem}</translation>
    </message>
    <message>
        <source>the database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>the signed-in user</source>
        <translation>登录用户</translation>
    </message>
    <message>
        <source>the window language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Saved. These changes take effect when Agent Assist restarts:</source>
        <translation>已保存。以下更改将在坐席助手重启后生效：</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Language and speech</source>
        <translation>语言与语音</translation>
    </message>
    <message>
        <source>Rules and scripts</source>
        <translation>规则与话术</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>One device per speaker</source>
        <translation>每位说话人一个设备</translation>
    </message>
    <message>
        <source>One stereo device, one speaker per channel</source>
        <translation>一个立体声设备，每个声道一位说话人</translation>
    </message>
    <message>
        <source>Collector&apos;s microphone</source>
        <translation>催收员麦克风</translation>
    </message>
    <message>
        <source>Debtor (loopback or second device)</source>
        <translation>客户（回环或第二个设备）</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右</translation>
    </message>
    <message>
        <source>Stereo device</source>
        <translation>立体声设备</translation>
    </message>
    <message>
        <source>Collector&apos;s channel</source>
        <translation>催收员声道</translation>
    </message>
    <message>
        <source>Collector level</source>
        <translation>催收员音量</translation>
    </message>
    <message>
        <source>Debtor level</source>
        <translation>客户音量</translation>
    </message>
    <message>
        <source>Test recording</source>
        <translation>测试录音</translation>
    </message>
    <message>
        <source>Set-up</source>
        <translation>接法</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Window language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Takes effect when Agent Assist restarts.</source>
        <translation>重启坐席助手后生效。</translation>
    </message>
    <message>
        <source>Speech model</source>
        <translation>语音模型</translation>
    </message>
    <message>
        <source>Rule pack</source>
        <translation>规则包</translation>
    </message>
    <message>
        <source>Script library</source>
        <translation>话术库</translation>
    </message>
    <message>
        <source>Embedded database on this PC</source>
        <translation>本机内置数据库</translation>
    </message>
    <message>
        <source>Team server</source>
        <translation>团队服务器</translation>
    </message>
    <message>
        <source>postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE</source>
        <translation>postgresql+psycopg://用户名:密码@主机:5432/数据库</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>AGENT_ASSIST_DB_URL is set in this PC&apos;s environment: it is used instead of the database chosen here.</source>
        <translation>本机环境变量中设置了 AGENT_ASSIST_DB_URL：将使用它，而不是此处选择的数据库。</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>登录身份</translation>
    </message>
    <message>
        <source>{level:.0f} dB</source>
        <translation>{level:.0f} dB</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>设置已保存</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>Trainer</name>
    <message>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>homophone</source>
        <translation>同音</translation>
    </message>
    <message>
        <source>sounds alike</source>
        <translation>近音</translation>
    </message>
</context>
<context>
    <name>TrainerWindow</name>
    <message>
        <source>Agent Assist · Trainer</source>
        <translation>坐席助手 · 培训</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>编辑器</translation>
    </message>
    <message>
        <source>Agent Assist · Drills</source>
        <translation>Agent Assist · 演练</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Proposals</source>
        <translation>提议</translation>
    </message>
    <message>
        <source>{0} has unsaved changes in the editor, so it still shows your version: saving it would remove the new example from the file.</source>
        <translation>{0} 在编辑器中有未保存的修改，因此仍显示你的版本：保存它会把新样例从文件中删除。</translation>
    </message>
    <message>
        <source>Drills</source>
        <translation>演练</translation>
    </message>
</context>
<context>
    <name>TranscriptDelegate</name>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>Debtor</source>
        <translation>客户</translation>
    </message>
</context>
<context>
    <name>TryController</name>
    <message>
        <source>Collector</source>
        <translation>催收员</translation>
    </message>
    <message>
        <source>Debtor</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Sentences are tried once a rule pack loads.</source>
        <translation>规则包加载后即可试句。</translation>
    </message>
    <message>
        <source>{fired} rules fire, {cancelled} cancelled by an exclusion.</source>
        <translation>{fired} 条规则触发，{cancelled} 条被排除项排除。</translation>
    </message>
    <message>
        <source>No rule pack loads yet: open one or fix its problems, then press F5.</source>
        <translation>尚无可加载的规则包：请打开一个或修正其问题，然后按 F5。</translation>
    </message>
    <message>
        <source>Running the examples…</source>
        <translation>正在运行样例…</translation>
    </message>
    <message>
        <source>{passed} of {total} examples pass, {failed} fail.</source>
        <translation>{total} 条样例中 {passed} 条通过，{failed} 条未通过。</translation>
    </message>
    <message>
        <source>This could not be run: {problem}</source>
        <translation>无法运行：{problem}</translation>
    </message>
</context>
<context>
    <name>TryPanel</name>
    <message>
        <source>Type what a collector or debtor says</source>
        <translation>输入催收员或客户说的话</translation>
    </message>
</context>
<context>
    <name>VersionsModel</name>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Published by</source>
        <translation>发布人</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>生效</translation>
    </message>
    <message>
        <source>Active for</source>
        <translation>启用范围</translation>
    </message>
    <message>
        <source>ACTIVE</source>
        <translation>生效中</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>所有团队</translation>
    </message>
</context>
<context>
    <name>WorklistModel</name>
    <message>
        <source>Callable now</source>
        <translation>现在可拨打</translation>
    </message>
    <message>
        <source>Outside hours</source>
        <translation>非拨打时段</translation>
    </message>
    <message>
        <source>Cap reached</source>
        <translation>已达次数上限</translation>
    </message>
    <message>
        <source>Holiday</source>
        <translation>节假日</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>禁止拨打</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>客户分类</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Call now</source>
        <translation>可否拨打</translation>
    </message>
    <message>
        <source>Why first</source>
        <translation>优先原因</translation>
    </message>
    <message>
        <source> · promise due</source>
        <translation> · 承诺到期</translation>
    </message>
    <message>
        <source>Next allowed: {when} (debtor&apos;s time)</source>
        <translation>下次可拨打：{when}（客户当地时间）</translation>
    </message>
</context>
<context>
    <name>WrapUpController</name>
    <message>
        <source>Set the case status to: {0}</source>
        <translation>将案件状态改为：{0}</translation>
    </message>
    <message>
        <source>Heard: “{0}”</source>
        <translation>原话：“{0}”</translation>
    </message>
    <message>
        <source>The database did not answer, so nothing was saved. What you entered is still here: check the network and press Save again.</source>
        <translation>数据库没有响应，因此什么都没有保存。已填写的内容仍在这里：请检查网络后再次点击保存。</translation>
    </message>
    <message>
        <source>Choose the call&apos;s outcome before saving.</source>
        <translation>保存前请选择通话结果。</translation>
    </message>
    <message>
        <source>Promise amount “{0}”: write a number above zero with at most two decimals, e.g. 500 or 1250.50, or untick the promise.</source>
        <translation>承诺金额“{0}”：请填写大于零、最多两位小数的数字，例如 500 或 1250.50，或取消勾选还款承诺。</translation>
    </message>
</context>
<context>
    <name>WrapUpDialog</name>
    <message>
        <source>Wrap up the call</source>
        <translation>通话小结</translation>
    </message>
    <message>
        <source>What was agreed, what to do next</source>
        <translation>约定了什么，下一步做什么</translation>
    </message>
    <message>
        <source>Record a promise to pay</source>
        <translation>登记还款承诺</translation>
    </message>
    <message>
        <source>Amount, e.g. 500 or 1250.50</source>
        <translation>金额，例如 500 或 1250.50</translation>
    </message>
    <message>
        <source>due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>通话结果</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
</TS>
