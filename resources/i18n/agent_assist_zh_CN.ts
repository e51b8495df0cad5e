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
