"""The default supervision checklist (督导清单), following the four "looks" of 四看三听两提
plus the five joints (五联) and taking part in the zone's activities. Written in Chinese because
it is data the work committee edits in the admin, not interface text."""

from __future__ import annotations

DEFAULT_NAME = "片区督导清单"

# (group, [(criterion, max score, guidance)])
DEFAULT_CHECKLIST: list[tuple[str, list[tuple[str, int, str]]]] = [
    (
        "一看：主体责任落实",
        [
            (
                "党组织书记履行第一责任人职责，年度党建工作计划、责任清单明确",
                10,
                "查阅党建工作计划、责任清单和书记述职材料。",
            ),
            (
                "党建工作与业务工作同部署、同落实、同考核",
                5,
                "查阅党组（党委）会议记录中研究党建工作的议题。",
            ),
        ],
    ),
    (
        "二看：组织生活",
        [
            ("“三会一课”按期规范开展，记录完整", 10, "抽查近一个季度的会议记录和党课资料。"),
            ("主题党日、组织生活会和民主评议党员按要求开展", 10, "查看活动记录、照片和签到表。"),
        ],
    ),
    (
        "三看：活动阵地",
        [
            ("党员活动室等阵地标识规范、功能完善、使用正常", 10, "实地查看活动阵地及使用登记。"),
            ("党建宣传栏、网络阵地内容及时更新", 5, "查看宣传栏和公众号等更新情况。"),
        ],
    ),
    (
        "四看：党员教育管理",
        [
            ("党员学习教育经常化，学习记录完整", 10, "抽查党员学习笔记和学习平台记录。"),
            ("党费收缴、党员发展、组织关系转接规范", 10, "查阅党费收缴台账和发展党员档案。"),
        ],
    ),
    (
        "五联：片区联建",
        [
            ("政治理论联学、中心工作联动开展情况", 10, "查看片区联学联动活动记录。"),
            (
                "经验做法联享、党员队伍联建、党建品牌联创成效",
                10,
                "查看经验交流材料和品牌创建成果。",
            ),
        ],
    ),
    (
        "参与片区活动",
        [
            ("按轮值安排主办或参与片区月度联建活动", 10, "核对片区活动记录和签到表。"),
        ],
    ),
]
